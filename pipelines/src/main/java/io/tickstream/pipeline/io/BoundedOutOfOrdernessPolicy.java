package io.tickstream.pipeline.io;

import io.tickstream.pipeline.time.WallClock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;

/**
 * KafkaIO timestamp policy for one partition of ticks: records are stamped with their event time
 * and the partition's watermark trails the largest event time by {@code maxOutOfOrderness}; an idle
 * partition stops holding the watermark back. The rule, in full, is {@link
 * BoundedOutOfOrdernessWatermark}'s; here "caught up" means the reader's message backlog for the
 * partition is 0 (an unknown backlog, {@link UnboundedSource.UnboundedReader#BACKLOG_UNKNOWN}, is
 * not caught up), and the fallback time of a record with no readable event time before it is the
 * Kafka record timestamp (or the wall clock if it has none).
 *
 * <p>KafkaIO creates one policy per partition whenever a reader starts, passing the watermark saved
 * in the checkpoint: the watermark carries over a restart, the idle clock starts again.
 */
public final class BoundedOutOfOrdernessPolicy extends TimestampPolicy<byte[], byte[]> {
  private final BoundedOutOfOrdernessWatermark watermark;
  private final WallClock clock;

  BoundedOutOfOrdernessPolicy(
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      boolean endWhenIdle,
      Optional<Instant> previousWatermark,
      WallClock clock) {
    this.clock = clock;
    this.watermark =
        new BoundedOutOfOrdernessWatermark(
            maxOutOfOrderness,
            idleTimeout,
            endWhenIdle,
            previousWatermark.orElse(null),
            clock.now());
  }

  /** A factory of this policy, never ending, reading the system clock. */
  public static TimestampPolicyFactory<byte[], byte[]> factory(
      Duration maxOutOfOrderness, Duration idleTimeout) {
    return factory(maxOutOfOrderness, idleTimeout, false, WallClock.SYSTEM);
  }

  /**
   * A factory of this policy.
   *
   * @param endWhenIdle whether an idle partition ends the read of it instead of advancing
   * @param clock the wall clock (tests pass a fake one)
   */
  public static TimestampPolicyFactory<byte[], byte[]> factory(
      Duration maxOutOfOrderness, Duration idleTimeout, boolean endWhenIdle, WallClock clock) {
    return new Factory(maxOutOfOrderness, idleTimeout, endWhenIdle, clock);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    byte[] value = record.getKV().getValue();
    Instant now = clock.now();
    long kafkaTime = record.getTimestamp();
    return watermark.onRecord(
        value == null ? null : EventTimes.peek(value),
        kafkaTime >= 0 ? kafkaTime : now.getMillis(),
        now);
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return watermark.watermark(clock.now(), ctx.getMessageBacklog() == 0);
  }

  /** Serializable factory; policies are created on the workers, with their clock read there. */
  private static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final Duration maxOutOfOrderness;
    private final Duration idleTimeout;
    private final boolean endWhenIdle;
    private final WallClock clock;

    Factory(
        Duration maxOutOfOrderness, Duration idleTimeout, boolean endWhenIdle, WallClock clock) {
      this.maxOutOfOrderness = Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
      this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
      this.endWhenIdle = endWhenIdle;
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      return new BoundedOutOfOrdernessPolicy(
          maxOutOfOrderness, idleTimeout, endWhenIdle, previousWatermark, clock);
    }
  }
}
