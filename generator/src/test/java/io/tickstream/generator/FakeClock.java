package io.tickstream.generator;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Pacer.Clock} that only moves when told to or when slept on, and remembers every sleep,
 * so pacing is tested without wall time.
 */
public final class FakeClock implements Pacer.Clock {
  private long nanos;
  private final List<Long> sleeps = new ArrayList<>();

  public FakeClock(long startNanos) {
    this.nanos = startNanos;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  /** Sleeping advances the clock by exactly the requested time. */
  @Override
  public void sleepNanos(long n) {
    sleeps.add(n);
    nanos += n;
  }

  /** Moves the clock forward as if the caller had been busy for {@code n} nanoseconds. */
  public void advance(long n) {
    nanos += n;
  }

  /** Every sleep requested so far, in nanoseconds. */
  public List<Long> sleeps() {
    return List.copyOf(sleeps);
  }
}
