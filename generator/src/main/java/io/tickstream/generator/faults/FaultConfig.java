package io.tickstream.generator.faults;

import java.io.Serializable;
import java.time.Duration;

/**
 * How many faults to inject on purpose.
 *
 * @param badRate fraction of ticks replaced by a broken record, 0 to 1
 * @param dupRate fraction of records followed by a resend of a recent record, 0 to 1
 * @param maxDisorder ticks are emitted out of event-time order by up to this much
 * @param lateRate fraction of ticks held back by {@code lateBy}, 0 to 1
 * @param lateBy how far behind the rest a late tick is emitted, in event time
 */
public record FaultConfig(
    double badRate, double dupRate, Duration maxDisorder, double lateRate, Duration lateBy)
    implements Serializable {

  /** No faults at all. */
  public static final FaultConfig NONE = new FaultConfig(0, 0, Duration.ZERO, 0, Duration.ZERO);

  public FaultConfig {
    checkFraction("bad rate", badRate);
    checkFraction("dup rate", dupRate);
    checkFraction("late rate", lateRate);
    if (maxDisorder.isNegative() || lateBy.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  private static void checkFraction(String what, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, got " + v);
    }
  }
}
