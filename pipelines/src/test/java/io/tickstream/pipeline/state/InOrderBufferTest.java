package io.tickstream.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.ValueState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link InOrderBuffer} on Beam's in-memory state: order restored, replays and gaps handled. */
class InOrderBufferTest {
  private MapState<Long, Sequenced<String>> pending;
  private ValueState<Long> next;

  @BeforeEach
  void freshState() {
    InMemoryStateInternals<String> state = InMemoryStateInternals.forKey("ABC");
    pending =
        state.state(
            StateNamespaces.global(),
            StateTags.map(
                "pending", VarLongCoder.of(), Sequenced.SequencedCoder.of(StringUtf8Coder.of())));
    next = state.state(StateNamespaces.global(), StateTags.value("next", VarLongCoder.of()));
  }

  @Test
  void anyArrivalOrderGivesTheElementsInOrderOnce() {
    List<Sequenced<String>> generation = generation(100, 20);
    Random random = new Random(5);
    for (int round = 0; round < 50; round++) {
      freshState();
      List<Sequenced<String>> arrival = new ArrayList<>(generation);
      Collections.shuffle(arrival, random);
      // Replays of a few, as a retried bundle sends them again.
      arrival.addAll(random.nextInt(arrival.size()), new ArrayList<>(arrival.subList(0, 3)));
      List<String> out = new ArrayList<>();
      for (Sequenced<String> e : arrival) {
        InOrderBuffer.offer(e, pending, next).forEach(r -> out.add(r.value()));
      }
      assertEquals(values(generation), out, "round " + round);
      assertEquals(List.of(), toList(pending.keys().read()), "nothing left waiting");
    }
  }

  @Test
  void nothingIsReadyBeforeTheFirstGenerationStarts() {
    List<Sequenced<String>> g = generation(7, 3);
    assertEquals(List.of(), InOrderBuffer.offer(g.get(2), pending, next));
    assertEquals(List.of(), InOrderBuffer.offer(g.get(1), pending, next));
    assertNull(next.read());
    assertEquals(g, InOrderBuffer.offer(g.get(0), pending, next));
    assertEquals(10L, next.read());
  }

  @Test
  void aNewGenerationStartsAtOnceAndForgetsWhatTheOldOneLeftWaiting() {
    List<Sequenced<String>> old = generation(10, 5);
    InOrderBuffer.offer(old.get(0), pending, next);
    InOrderBuffer.offer(old.get(3), pending, next); // #13 waits for #11 and #12, which never come
    List<Sequenced<String>> fresh = generation(1000, 2);
    // #1001 of the new generation arrives before its start.
    assertEquals(List.of(), InOrderBuffer.offer(fresh.get(1), pending, next));
    List<Sequenced<String>> ready = InOrderBuffer.offer(fresh.get(0), pending, next);
    assertEquals(fresh, ready, "the new generation's elements, the first saying it starts");
    assertEquals(List.of(), toList(pending.keys().read()), "#13 of the old one is forgotten");
    // The old generation replayed: ignored, start included.
    assertEquals(List.of(), InOrderBuffer.offer(old.get(0), pending, next));
    assertEquals(List.of(), InOrderBuffer.offer(old.get(1), pending, next));
    assertEquals(1002L, next.read());
  }

  private static List<Sequenced<String>> generation(long first, int count) {
    List<Sequenced<String>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Sequenced.of(first + i, i == 0, "bar " + (first + i)));
    }
    return out;
  }

  private static List<String> values(List<Sequenced<String>> elements) {
    return elements.stream().map(Sequenced::value).toList();
  }

  private static <T> List<T> toList(Iterable<T> items) {
    List<T> out = new ArrayList<>();
    items.forEach(out::add);
    return out;
  }
}
