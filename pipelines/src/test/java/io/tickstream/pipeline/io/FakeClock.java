package io.tickstream.pipeline.io;

import io.tickstream.pipeline.time.WallClock;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** A wall clock that moves only when a test moves it. */
final class FakeClock implements WallClock {
  private static final long serialVersionUID = 1L;
  private Instant now;

  FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant now() {
    return now;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }
}
