package io.tickstream.pipeline.time;

import java.time.Duration;

/**
 * Converts the project's one duration type, {@code java.time.Duration} (every setting and public
 * transform takes it), to the Joda durations of Beam's own APIs, at the call into Beam.
 */
public final class BeamTime {
  private BeamTime() {}

  /** {@code d} as Beam's {@code org.joda.time.Duration}, to the millisecond. */
  public static org.joda.time.Duration duration(Duration d) {
    return org.joda.time.Duration.millis(d.toMillis());
  }
}
