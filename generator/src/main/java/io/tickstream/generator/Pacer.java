package io.tickstream.generator;

/**
 * Holds emission back to a speed (simulated time per wall time) and a rate (records per second).
 *
 * <p>At speed s, a record with event time t is sent no earlier than {@code wallStart + (t - t0) /
 * s}; at rate r, the n-th record no earlier than {@code wallStart + n / r}. Sleeps only when more
 * than a millisecond ahead, so fast runs make no system call per record.
 */
public final class Pacer {
  /** Wall clock and sleep, replaceable in tests. */
  public interface Clock {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    /** The real clock. */
    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) throws InterruptedException {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
          }
        };
  }

  private static final long SLACK_NANOS = 1_000_000;

  private final double nanosPerEventMilli;
  private final double nanosPerRecord;
  private final Clock clock;
  private long wallStart;
  private long eventStart;
  private long records;

  /**
   * @param speed simulated time per wall time; {@code Double.POSITIVE_INFINITY} for as fast as
   *     possible
   * @param ratePerSecond records per wall second at most; 0 for no limit
   */
  public Pacer(double speed, double ratePerSecond, Clock clock) {
    this.nanosPerEventMilli = Double.isInfinite(speed) ? 0 : 1_000_000 / speed;
    this.nanosPerRecord = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
    this.clock = clock;
  }

  /** True when neither speed nor rate holds anything back. */
  public boolean unlimited() {
    return nanosPerEventMilli == 0 && nanosPerRecord == 0;
  }

  /** Waits until the record with this event time may be sent. */
  public void await(long eventTimeMillis) throws InterruptedException {
    if (records++ == 0) {
      wallStart = clock.nanoTime();
      eventStart = eventTimeMillis;
      return;
    }
    if (unlimited()) {
      return;
    }
    long bySpeed = (long) ((eventTimeMillis - eventStart) * nanosPerEventMilli);
    long byRate = (long) ((records - 1) * nanosPerRecord);
    long due = wallStart + Math.max(bySpeed, byRate);
    long ahead = due - clock.nanoTime();
    if (ahead > SLACK_NANOS) {
      clock.sleepNanos(ahead);
    }
  }
}
