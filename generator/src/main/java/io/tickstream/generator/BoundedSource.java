package io.tickstream.generator;

import io.tickstream.tick.Tick;
import java.time.Duration;
import javax.annotation.Nullable;

/** Ends a tick source after a number of ticks or a span of event time, whichever comes first. */
public final class BoundedSource implements TickSource {
  private final TickSource source;
  private final long maxTicks;
  private final long maxSpanMillis;
  private long taken;
  private long firstMillis = Long.MIN_VALUE;
  private boolean done;

  /**
   * @param maxTicks ticks to take at most; 0 for no limit
   * @param maxSpan event time after the first tick at which to stop; zero for no limit
   */
  public BoundedSource(TickSource source, long maxTicks, Duration maxSpan) {
    this.source = source;
    this.maxTicks = maxTicks > 0 ? maxTicks : Long.MAX_VALUE;
    this.maxSpanMillis = maxSpan.isZero() ? Long.MAX_VALUE : maxSpan.toMillis();
  }

  @Override
  public @Nullable Tick next() {
    if (done || taken >= maxTicks) {
      return null;
    }
    Tick t = source.next();
    if (t == null) {
      done = true;
      return null;
    }
    if (firstMillis == Long.MIN_VALUE) {
      firstMillis = t.timestampMillis();
    }
    if (t.timestampMillis() - firstMillis >= maxSpanMillis) {
      done = true;
      return null;
    }
    taken++;
    return t;
  }
}
