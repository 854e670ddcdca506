package io.tickstream.pipeline.time;

import java.io.Serializable;
import org.joda.time.Instant;

/**
 * Wall-clock time for the sources' idle rule. Serializable because watermark policies travel to
 * workers inside their factories; tests pass a fake one to drive idleness without sleeping.
 */
@FunctionalInterface
public interface WallClock extends Serializable {
  /** The system clock. */
  WallClock SYSTEM = SystemClock.INSTANCE;

  Instant now();

  /** An enum so that deserializing it on a worker yields the same singleton. */
  enum SystemClock implements WallClock {
    INSTANCE;

    @Override
    public Instant now() {
      return Instant.now();
    }
  }
}
