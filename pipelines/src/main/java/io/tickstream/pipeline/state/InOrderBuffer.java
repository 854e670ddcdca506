package io.tickstream.pipeline.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.ValueState;

/**
 * Restores per-key order of numbered elements (0, 1, 2...) inside a stateful DoFn: an element that
 * arrives early waits in a map until its predecessors came. Runners keep per-key order between
 * stateful steps in practice, but Beam does not promise it, so the signal and position steps never
 * rely on it. State holds only elements that arrived early; the map is empty in the usual case.
 *
 * <p>Public for the sinks that replay numbered outputs in order, such as {@code
 * io.tickstream.pipeline.sink.dynamodb.WritePositionsTable}; the caller owns both state cells.
 */
public final class InOrderBuffer {
  private InOrderBuffer() {}

  /**
   * Offers element number {@code seq}; returns the elements now ready, in order (possibly none). A
   * number already passed (a replayed duplicate) is ignored.
   */
  public static <T> List<T> offer(
      long seq, T value, MapState<Long, T> pending, ValueState<Long> nextState) {
    Long nextValue = nextState.read();
    long next = nextValue == null ? 0 : nextValue;
    List<T> ready = new ArrayList<>(1);
    if (seq < next) {
      return ready;
    }
    if (seq > next) {
      pending.put(seq, value);
      return ready;
    }
    ready.add(value);
    next++;
    T following;
    while ((following = pending.get(next).read()) != null) {
      ready.add(following);
      pending.remove(next);
      next++;
    }
    nextState.write(next);
    return ready;
  }
}
