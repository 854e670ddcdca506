package io.tickstream.pipeline.io;

import io.tickstream.pipeline.time.WallClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicy;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicyFactory;
import org.joda.time.Instant;

/**
 * KinesisIO watermark policy for one shard of ticks: the watermark trails the shard's largest event
 * time by {@code maxOutOfOrderness}, and an idle shard stops holding it back. The rule, in full, is
 * {@link BoundedOutOfOrdernessWatermark}'s. Kinesis tells a reader nothing about a shard's backlog,
 * so here a shard is idle when it has delivered no record for {@code idleTimeout} of wall time (the
 * reader polls every shard continuously, so a shard with records to read does deliver them).
 *
 * <p>KinesisIO creates a policy for each shard whenever a reader starts, on the worker, through
 * {@link #factory}; the idle clock therefore starts when the reader does (not when the pipeline is
 * built, the pitfall of the stock {@code WatermarkParameters}). KinesisIO keeps no watermark in its
 * checkpoints: a restarted reader starts from the minimum until its shard delivers a record or goes
 * idle.
 *
 * <p>KinesisIO stamps elements with their arrival time, not this policy's event time; {@link
 * ReadKinesisTicks} re-stamps them.
 */
public final class ShardWatermarkPolicy implements WatermarkPolicy {
  private static final long serialVersionUID = 1L;
  private final BoundedOutOfOrdernessWatermark watermark;
  private final WallClock clock;

  ShardWatermarkPolicy(
      Duration maxOutOfOrderness, Duration idleTimeout, boolean endWhenIdle, WallClock clock) {
    this.clock = clock;
    this.watermark =
        new BoundedOutOfOrdernessWatermark(
            maxOutOfOrderness, idleTimeout, endWhenIdle, null, clock.now());
  }

  /** A factory of this policy, never ending, reading the system clock. */
  public static WatermarkPolicyFactory factory(Duration maxOutOfOrderness, Duration idleTimeout) {
    return factory(maxOutOfOrderness, idleTimeout, false, WallClock.SYSTEM);
  }

  /**
   * A factory of this policy.
   *
   * @param endWhenIdle whether an idle shard ends the read of it instead of advancing
   * @param clock the wall clock (tests pass a fake one)
   */
  public static WatermarkPolicyFactory factory(
      Duration maxOutOfOrderness, Duration idleTimeout, boolean endWhenIdle, WallClock clock) {
    Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(clock, "clock");
    return () -> new ShardWatermarkPolicy(maxOutOfOrderness, idleTimeout, endWhenIdle, clock);
  }

  @Override
  public void update(KinesisRecord record) {
    watermark.onRecord(
        EventTimes.peek(bytes(record.getData())),
        record.getApproximateArrivalTimestamp().getMillis(),
        clock.now());
  }

  @Override
  public Instant getWatermark() {
    return watermark.watermark(clock.now(), true);
  }

  /** A copy of a record's data; the SDK's buffers may be read-only, so no {@code array()}. */
  static byte[] bytes(ByteBuffer data) {
    ByteBuffer view = data.duplicate();
    byte[] out = new byte[view.remaining()];
    view.get(out);
    return out;
  }
}
