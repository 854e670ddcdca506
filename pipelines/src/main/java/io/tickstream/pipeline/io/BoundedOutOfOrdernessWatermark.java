package io.tickstream.pipeline.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The event-time and watermark rule of the stream sources, for one Kafka partition or one Kinesis
 * shard. Both sources' watermark policies delegate here so that the rule exists once.
 *
 * <p><b>Event time</b> of a record: its own {@code timestamp} when {@link EventTimes#peek} can read
 * it; else the last readable event time of the same partition, in read order; else a fallback the
 * source supplies (the Kafka record timestamp, the Kinesis arrival time). Only readable event times
 * move the watermark, so one unreadable record cannot drag it to the producer's wall clock.
 *
 * <p><b>Active</b>: watermark = the largest event time read − {@code maxOutOfOrderness}. It never
 * goes below a watermark restored from a checkpoint, and never goes backwards.
 *
 * <p><b>Idle</b>: once the partition has delivered no record for {@code idleTimeout} of wall time
 * <em>and</em> is caught up (nothing left to read), the watermark advances with wall time from
 * where it stood: {@code wm = wmAtIdleStart + (now − idleSince)}, where {@code idleSince} is the
 * last record's wall time + {@code idleTimeout}. It therefore keeps event time flowing at the speed
 * event time would flow if the partition were live, without jumping over event time that other
 * partitions are still delivering. A partition that has never had a readable event time (empty
 * since the job started and no restored watermark) has no place to stand; it follows {@code now −
 * maxOutOfOrderness}, the earliest event time a live producer would write now, so it stops holding
 * the job back. A producer that later writes old event times into such a partition (a replay
 * started after the job) gets them treated as late.
 *
 * <p><b>Leaving idle</b>: the next record stops the advance. The watermark stays where it got to
 * until the largest event time − {@code maxOutOfOrderness} passes it; records behind it are late,
 * which downstream steps handle (they are kept as ticks, not in bars).
 *
 * <p><b>Ending when idle</b> (optional, for backfills and tests): instead of advancing, an idle
 * partition's watermark jumps to the end of time, and stays there. A runner finishes a source whose
 * partitions have all done so: the read ends once everything there was has been read, while records
 * keep event-time timestamps and watermarks all the way.
 *
 * <p>Not thread-safe: a reader calls it from one thread. Times are passed in, never read here.
 */
final class BoundedOutOfOrdernessWatermark implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long NONE = Long.MIN_VALUE;
  private static final long MIN_MILLIS = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
  private static final long MAX_MILLIS = BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis();

  private final long boundMillis;
  private final long idleTimeoutMillis;
  private final boolean endWhenIdle;

  /** The watermark last returned (or restored); MIN_MILLIS when nothing is known. */
  private long watermarkMillis;

  private long maxEventMillis = NONE;
  private long lastEventMillis = NONE;

  /** Wall time of the last record, or of creation before any. */
  private long lastRecordWallMillis;

  /** Wall time of the last watermark query that found the partition not idle. */
  private long lastNotIdleWallMillis;

  /** The watermark where the current idle period started; NONE while not idle. */
  private long idleAnchorMillis = NONE;

  /** Wall time from which the current idle period advances the watermark. */
  private long idleSinceWallMillis;

  /**
   * @param restored the partition's watermark from a checkpoint, or null (or the minimum timestamp)
   *     when there is none
   * @param endWhenIdle whether an idle partition ends (watermark at the end of time) instead of
   *     advancing
   * @param now wall time of creation: the idle clock starts here
   */
  BoundedOutOfOrdernessWatermark(
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      boolean endWhenIdle,
      @Nullable Instant restored,
      Instant now) {
    this.boundMillis = maxOutOfOrderness.toMillis();
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.endWhenIdle = endWhenIdle;
    this.watermarkMillis =
        restored == null
            ? MIN_MILLIS
            : Math.min(MAX_MILLIS, Math.max(MIN_MILLIS, restored.getMillis()));
    this.lastRecordWallMillis = now.getMillis();
    this.lastNotIdleWallMillis = now.getMillis();
  }

  /**
   * Checks the watermark arguments the stream sources take ({@code ReadKafkaTicks.of}, {@code
   * ReadKinesisTicks.of}), so that both reject the same values with the same messages.
   *
   * @throws NullPointerException when either is null
   * @throws IllegalArgumentException when {@code maxOutOfOrderness} is negative or {@code
   *     idleTimeout} is not positive
   */
  static void checkArguments(Duration maxOutOfOrderness, Duration idleTimeout) {
    Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxOutOfOrderness.isNegative()) {
      throw new IllegalArgumentException(
          "maxOutOfOrderness must not be negative, got " + maxOutOfOrderness);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
    }
  }

  /**
   * Checks a source's {@code withMaxNumRecords} argument: a bounded read has no watermark, so it
   * cannot end when idle.
   */
  static void checkMaxNumRecords(long maxNumRecords, boolean endWhenIdle) {
    rejectIfEndWhenIdle("withMaxNumRecords", endWhenIdle);
    if (maxNumRecords <= 0) {
      throw new IllegalArgumentException("maxNumRecords must be positive, got " + maxNumRecords);
    }
  }

  /**
   * Checks a source's {@code withMaxReadTime} argument: a bounded read has no watermark, so it
   * cannot end when idle.
   */
  static void checkMaxReadTime(Duration maxReadTime, boolean endWhenIdle) {
    rejectIfEndWhenIdle("withMaxReadTime", endWhenIdle);
    Objects.requireNonNull(maxReadTime, "maxReadTime");
    if (maxReadTime.isNegative() || maxReadTime.isZero()) {
      throw new IllegalArgumentException("maxReadTime must be positive, got " + maxReadTime);
    }
  }

  /** Checks that a source's {@code withEndWhenIdle} does not meet a bounded read's limits. */
  static void checkEndWhenIdle(long maxNumRecords, @Nullable Duration maxReadTime) {
    if (maxNumRecords != Long.MAX_VALUE || maxReadTime != null) {
      throw new IllegalArgumentException(
          "withEndWhenIdle() cannot be combined with withMaxNumRecords/withMaxReadTime: a bounded"
              + " read has no watermark to end by");
    }
  }

  private static void rejectIfEndWhenIdle(String setting, boolean endWhenIdle) {
    if (endWhenIdle) {
      throw new IllegalArgumentException(
          setting
              + " cannot be combined with withEndWhenIdle(): a bounded read has no watermark to"
              + " end by");
    }
  }

  /**
   * Notes one record read at {@code now} and returns its event time.
   *
   * @param eventMillis the record's readable event time, or null
   * @param fallbackMillis the source's time for a record with no readable event time and no
   *     readable predecessor
   */
  Instant onRecord(@Nullable Long eventMillis, long fallbackMillis, Instant now) {
    lastRecordWallMillis = now.getMillis();
    lastNotIdleWallMillis = now.getMillis();
    idleAnchorMillis = NONE;
    if (eventMillis != null) {
      lastEventMillis = eventMillis;
      maxEventMillis = Math.max(maxEventMillis, eventMillis);
      return new Instant(eventMillis);
    }
    return new Instant(lastEventMillis != NONE ? lastEventMillis : fallbackMillis);
  }

  /**
   * The watermark at {@code now}.
   *
   * @param caughtUp whether the partition has nothing left to read (Kafka: backlog 0); a source
   *     that cannot tell passes true, making "no record for idleTimeout" the whole idle test
   */
  Instant watermark(Instant now, boolean caughtUp) {
    long nowMillis = now.getMillis();
    if (watermarkMillis == MAX_MILLIS) {
      return BoundedWindow.TIMESTAMP_MAX_VALUE; // ended: nothing more is read
    }
    long active = watermarkMillis;
    if (maxEventMillis != NONE) {
      active = Math.max(active, maxEventMillis - boundMillis);
    }
    boolean idle = caughtUp && nowMillis - lastRecordWallMillis >= idleTimeoutMillis;
    if (!idle) {
      idleAnchorMillis = NONE;
      lastNotIdleWallMillis = nowMillis;
      watermarkMillis = active;
      return new Instant(watermarkMillis);
    }
    if (endWhenIdle) {
      watermarkMillis = MAX_MILLIS;
      return BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    if (idleAnchorMillis == NONE) {
      // Idle since the timeout expired, or since it was last seen busy (a backlog that went away
      // without a record being read), so that the same stretch of wall time never counts twice.
      idleSinceWallMillis =
          Math.max(lastRecordWallMillis + idleTimeoutMillis, lastNotIdleWallMillis);
      idleAnchorMillis = active > MIN_MILLIS ? active : idleSinceWallMillis - boundMillis;
    }
    watermarkMillis =
        Math.max(active, idleAnchorMillis + Math.max(0, nowMillis - idleSinceWallMillis));
    return new Instant(watermarkMillis);
  }
}
