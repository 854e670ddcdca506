package io.tickstream.pipeline.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.ValueState;

/**
 * Restores per-key order of {@link Sequenced} elements inside a stateful DoFn: an element that
 * arrives early waits in a map until its predecessors came; one already passed (a replay) is
 * ignored. Runners keep per-key order between stateful steps in practice, but Beam does not promise
 * it, so the signal, position and table steps never rely on it. State holds only elements that
 * arrived early; the map is empty in the usual case.
 *
 * <p>An element that starts a generation, with a number past the current one, starts it at once:
 * what the previous generation left waiting is forgotten, and the caller starts afresh too (the
 * first element it gets back {@link Sequenced#startsGeneration}). Until the first generation
 * starts, elements wait. The caller owns both state cells.
 */
public final class InOrderBuffer {
  private InOrderBuffer() {}

  /**
   * Offers one element; returns the elements now ready, in order (possibly none). Only the first of
   * them can start a generation.
   */
  public static <T> List<Sequenced<T>> offer(
      Sequenced<T> element, MapState<Long, Sequenced<T>> pending, ValueState<Long> nextState) {
    Long next = nextState.read();
    long seq = element.seq();
    List<Sequenced<T>> ready = new ArrayList<>(1);
    if (element.startsGeneration()) {
      if (next != null && seq < next) {
        return ready;
      }
      if (next != null) {
        forgetBefore(seq, pending);
      }
    } else if (next == null || seq > next) {
      pending.put(seq, element);
      return ready;
    } else if (seq < next) {
      return ready;
    }
    ready.add(element);
    long n = seq + 1;
    Sequenced<T> following;
    while ((following = pending.get(n).read()) != null) {
      ready.add(following);
      pending.remove(n);
      n++;
    }
    nextState.write(n);
    return ready;
  }

  /** Drops what waits from before a new generation: it can never be its turn. */
  private static <T> void forgetBefore(long seq, MapState<Long, Sequenced<T>> pending) {
    List<Long> stale = new ArrayList<>();
    for (Long key : pending.keys().read()) {
      if (key < seq) {
        stale.add(key);
      }
    }
    stale.forEach(pending::remove);
  }
}
