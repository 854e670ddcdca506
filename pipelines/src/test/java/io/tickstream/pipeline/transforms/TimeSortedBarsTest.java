package io.tickstream.pipeline.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.testing.KeyedDoFnHarness;
import io.tickstream.tick.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link ComputeBars} over time-sorted input, as a batch runner serves it: a key's ticks in order
 * and no timer fired before its input ends. Ids must still expire as the data moves on, and the
 * bars must be the stream's.
 */
class TimeSortedBarsTest {
  private static final long WINDOW_MILLIS = 600_000;
  private static final long OUT_OF_ORDERNESS_MILLIS = 30_000;

  /** 2023-11-14T22:13:00Z: three hours of ticks from here fill exactly 180 minutes. */
  private static final long MINUTE_ALIGNED_START_MILLIS = 1_699_999_980_000L;

  /** Three hours of a tick a second, every hundredth one resent at once. */
  private static List<Tick> ticks() {
    List<Tick> ticks = new ArrayList<>();
    for (int second = 0; second < 3 * 3600; second++) {
      Tick tick =
          Tick.create(
              "ABC-" + second, "ABC", 10 + (second % 97) / 10.0, 100, at(second), null, null);
      ticks.add(tick);
      if (second % 100 == 0) {
        ticks.add(tick);
      }
    }
    return ticks;
  }

  private static ComputeBars.BarFn barFn(boolean timeSorted) {
    return new ComputeBars.BarFn(
        60_000,
        OUT_OF_ORDERNESS_MILLIS,
        WINDOW_MILLIS,
        StateTtl.of(Duration.ofDays(1)),
        () -> new Instant(0),
        timeSorted);
  }

  private static KeyedDoFnHarness<String, List<Tick>, List<Tick>> harness(
      DoFn<KV<String, List<Tick>>, List<Tick>> fn) {
    return new KeyedDoFnHarness<>(fn, "ABC", ComputeBars.UNIQUE_TICKS, List.of(ComputeBars.BARS));
  }

  @Test
  void theSortedStepAsksTheRunnerForTimeSortedInput() {
    assertTrue(
        DoFnSignatures.getSignature(ComputeBars.TimeSortedBarFn.class)
            .processElement()
            .requiresTimeSortedInput());
  }

  @Test
  void idsExpireAsTheDataMovesOnWithNoTimerFired() throws Exception {
    KeyedDoFnHarness<String, List<Tick>, List<Tick>> sorted =
        harness(new ComputeBars.TimeSortedBarFn(barFn(true)));
    int mostSeen = 0;
    for (Tick tick : ticks()) {
      sorted.process(List.of(tick), tick.getTimestamp());
      @SuppressWarnings("unchecked")
      SetState<String> seen = (SetState<String>) sorted.stateCell("seen");
      int held = 0;
      for (String ignored : seen.read()) {
        held++;
      }
      mostSeen = Math.max(mostSeen, held);
    }
    // A tick a second: a window is 600 ids; buckets of a quarter window and the clock's
    // out-of-orderness lag add at most 150 + 30 more.
    assertTrue(mostSeen <= 600 + 150 + 30 + 1, "ids held at most: " + mostSeen);
    assertTrue(mostSeen >= 600, "a whole window of ids is remembered: " + mostSeen);
    int uniques = sorted.values(ComputeBars.UNIQUE_TICKS).stream().mapToInt(List::size).sum();
    assertEquals(3 * 3600, uniques, "every resend was dropped");
  }

  @Test
  void sortedInputGivesTheStreamsBars() throws Exception {
    KeyedDoFnHarness<String, List<Tick>, List<Tick>> sorted =
        harness(new ComputeBars.TimeSortedBarFn(barFn(true)));
    KeyedDoFnHarness<String, List<Tick>, List<Tick>> stream = harness(barFn(false));
    for (Tick tick : ticks()) {
      sorted.process(List.of(tick), tick.getTimestamp());
      stream.process(List.of(tick), tick.getTimestamp());
      stream.advanceWatermarkTo(new Instant(tick.timestampMillis() - OUT_OF_ORDERNESS_MILLIS));
    }
    sorted.advanceWatermarkTo(new Instant(Long.MAX_VALUE / 1000));
    stream.advanceWatermarkTo(new Instant(Long.MAX_VALUE / 1000));
    List<Bar> sortedBars = bars(sorted);
    assertEquals(180, sortedBars.size());
    assertEquals(bars(stream), sortedBars);
  }

  private static List<Bar> bars(KeyedDoFnHarness<String, List<Tick>, List<Tick>> harness) {
    return harness.values(ComputeBars.BARS).stream()
        .map(KV::getValue)
        .map(Sequenced::value)
        .toList();
  }

  private static Instant at(long second) {
    return new Instant(MINUTE_ALIGNED_START_MILLIS + second * 1000);
  }
}
