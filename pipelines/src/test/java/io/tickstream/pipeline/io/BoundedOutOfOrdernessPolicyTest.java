package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The Kafka timestamp policy under a fake wall clock: event times, watermark = max event time −
 * bound, and the idle rule (advance with wall time from where the watermark stood, once a partition
 * has had no record for the idle timeout and has no backlog).
 *
 * <p>Event times are in 2024; the wall clock starts at 2030-01-01, far from them, so that a
 * watermark taken from the wall clock by mistake cannot pass for one derived from event time.
 */
class BoundedOutOfOrdernessPolicyTest {
  private static final Duration BOUND = Duration.standardSeconds(30);
  private static final Duration IDLE = Duration.standardMinutes(1);
  private static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
  private static final Instant WALL = Instant.parse("2030-01-01T00:00:00Z");

  private final FakeClock clock = new FakeClock(WALL);
  private final Context ctx = new Context();
  private long offset;

  @Test
  void recordsAreStampedWithTheirEventTimeAndTheWatermarkTrailsTheLargestByTheBound() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(ctx));

    assertEquals(at(100), stamp(policy, tick(100)));
    assertEquals(at(70), policy.getWatermark(ctx));
    // Out of order: stamped with its own time; the watermark keeps to the largest.
    assertEquals(at(90), stamp(policy, tick(90)));
    assertEquals(at(70), policy.getWatermark(ctx));
    assertEquals(at(160), stamp(policy, tick(160)));
    assertEquals(at(130), policy.getWatermark(ctx));
  }

  @Test
  void anUnreadableRecordTakesThePartitionsLastEventTimeOrElseItsKafkaTimestamp() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    Instant kafkaTime = WALL.minus(Duration.standardSeconds(5));

    assertEquals(kafkaTime, policy.getTimestampForRecord(ctx, record("{\"broken", kafkaTime)));
    // The Kafka timestamp is the producer's wall clock: it must not move the watermark.
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(ctx));

    stamp(policy, tick(200));
    stamp(policy, tick(150));
    // The last readable one in read order (150), not the largest (200).
    assertEquals(at(150), policy.getTimestampForRecord(ctx, record("[1,2]", kafkaTime)));
    assertEquals(at(150), policy.getTimestampForRecord(ctx, nullValue(kafkaTime)));
    assertEquals(at(170), policy.getWatermark(ctx));
  }

  @Test
  void aRestoredWatermarkIsTheFloor() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.of(at(500)));
    assertEquals(at(500), policy.getWatermark(ctx));
    stamp(policy, tick(400)); // replayed since the checkpoint: behind the restored watermark
    assertEquals(at(500), policy.getWatermark(ctx));
    stamp(policy, tick(600));
    assertEquals(at(570), policy.getWatermark(ctx));
  }

  @Test
  void anIdlePartitionAdvancesWithWallTimeFromWhereItStood() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    stamp(policy, tick(100));
    ctx.backlog = 0;
    assertEquals(at(70), policy.getWatermark(ctx));

    clock.advance(IDLE.minus(1));
    assertEquals(at(70), policy.getWatermark(ctx));
    clock.advance(Duration.millis(1)); // idle from here: no jump
    assertEquals(at(70), policy.getWatermark(ctx));
    clock.advance(Duration.standardSeconds(5));
    assertEquals(at(75), policy.getWatermark(ctx));
    clock.advance(Duration.standardMinutes(10));
    assertEquals(at(675), policy.getWatermark(ctx));
  }

  @Test
  void theAdvanceCountsFromTheTimeoutEvenIfNobodyAskedMeanwhile() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    stamp(policy, tick(100));
    ctx.backlog = 0;
    clock.advance(IDLE.plus(Duration.standardSeconds(20)));
    assertEquals(at(90), policy.getWatermark(ctx));
  }

  @Test
  void aPartitionWithBacklogIsNotIdleAndItsWaitDoesNotCountTwice() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    stamp(policy, tick(100));
    ctx.backlog = 3; // records there but not read, e.g. a slow consumer
    clock.advance(IDLE.multipliedBy(3));
    assertEquals(at(70), policy.getWatermark(ctx));

    ctx.backlog = 0; // the backlog went away without a record (e.g. compacted away)
    assertEquals(at(70), policy.getWatermark(ctx));
    clock.advance(Duration.standardSeconds(4));
    assertEquals(at(74), policy.getWatermark(ctx));

    ctx.backlog = UNKNOWN; // an unknown backlog is not "caught up" either
    clock.advance(Duration.standardSeconds(10));
    assertEquals(at(74), policy.getWatermark(ctx));
    ctx.backlog = 0;
    clock.advance(Duration.standardSeconds(1));
    assertEquals(at(75), policy.getWatermark(ctx));
  }

  @Test
  void aRecordEndsTheAdvanceAndTheWatermarkNeverGoesBack() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    stamp(policy, tick(100));
    ctx.backlog = 0;
    clock.advance(IDLE.plus(Duration.standardSeconds(50)));
    assertEquals(at(120), policy.getWatermark(ctx));

    assertEquals(at(110), stamp(policy, tick(110))); // late now: still stamped with its own time
    clock.advance(Duration.standardSeconds(30));
    assertEquals(at(120), policy.getWatermark(ctx));
    stamp(policy, tick(200));
    assertEquals(at(170), policy.getWatermark(ctx));
    clock.advance(IDLE.plus(Duration.standardSeconds(2)));
    assertEquals(at(172), policy.getWatermark(ctx));
  }

  @Test
  void aPartitionThatNeverHadARecordFollowsTheWallClockOnceIdle() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.empty());
    ctx.backlog = 0;
    clock.advance(IDLE.minus(1));
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(ctx));
    clock.advance(Duration.millis(1));
    assertEquals(clock.now().minus(BOUND), policy.getWatermark(ctx));
    clock.advance(Duration.standardSeconds(7));
    assertEquals(clock.now().minus(BOUND), policy.getWatermark(ctx));
  }

  @Test
  void anEmptyPartitionWithARestoredWatermarkAdvancesFromIt() {
    TimestampPolicy<byte[], byte[]> policy = policy(Optional.of(at(500)));
    ctx.backlog = 0;
    clock.advance(IDLE.plus(Duration.standardSeconds(3)));
    assertEquals(at(503), policy.getWatermark(ctx));
  }

  @Test
  void theFactoryStartsEachPolicysIdleClockWhenTheReaderCreatesIt() {
    var factory =
        BoundedOutOfOrdernessPolicy.factory(
            java.time.Duration.ofMillis(BOUND.getMillis()),
            java.time.Duration.ofMillis(IDLE.getMillis()),
            false,
            clock);
    clock.advance(Duration.standardHours(1)); // a reader created long after the pipeline was built
    TimestampPolicy<byte[], byte[]> policy =
        factory.createTimestampPolicy(new TopicPartition("ticks", 0), Optional.empty());
    stamp(policy, tick(100));
    ctx.backlog = 0;
    clock.advance(IDLE);
    assertEquals(at(70), policy.getWatermark(ctx));
  }

  @Test
  void endingWhenIdleMovesAnIdlePartitionToTheEndOfTimeForGood() {
    TimestampPolicy<byte[], byte[]> policy =
        BoundedOutOfOrdernessPolicy.factory(
                java.time.Duration.ofMillis(BOUND.getMillis()),
                java.time.Duration.ofMillis(IDLE.getMillis()),
                true,
                clock)
            .createTimestampPolicy(new TopicPartition("ticks", 0), Optional.empty());
    stamp(policy, tick(100));
    ctx.backlog = 2;
    clock.advance(IDLE.multipliedBy(2));
    assertEquals(at(70), policy.getWatermark(ctx)); // records left to read: not done
    ctx.backlog = 0;
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, policy.getWatermark(ctx));
    stamp(policy, tick(300));
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, policy.getWatermark(ctx));
  }

  private static final long UNKNOWN = -1;

  private TimestampPolicy<byte[], byte[]> policy(Optional<Instant> previous) {
    return BoundedOutOfOrdernessPolicy.factory(
            java.time.Duration.ofMillis(BOUND.getMillis()),
            java.time.Duration.ofMillis(IDLE.getMillis()),
            false,
            clock)
        .createTimestampPolicy(new TopicPartition("ticks", 0), previous);
  }

  private Instant stamp(TimestampPolicy<byte[], byte[]> policy, String json) {
    return policy.getTimestampForRecord(ctx, record(json, WALL));
  }

  private KafkaRecord<byte[], byte[]> record(String value, Instant kafkaTime) {
    return new KafkaRecord<>(
        "ticks",
        0,
        offset++,
        kafkaTime.getMillis(),
        KafkaTimestampType.CREATE_TIME,
        null,
        new byte[0],
        value.getBytes(StandardCharsets.UTF_8));
  }

  private KafkaRecord<byte[], byte[]> nullValue(Instant kafkaTime) {
    return new KafkaRecord<>(
        "ticks",
        0,
        offset++,
        kafkaTime.getMillis(),
        KafkaTimestampType.CREATE_TIME,
        null,
        new byte[0],
        null);
  }

  private static String tick(long second) {
    return "{\"event_id\":\"ABC-"
        + second
        + "\",\"symbol\":\"ABC\",\"price\":10,\"volume\":1,\"timestamp\":\""
        + at(second)
        + "\"}";
  }

  private static Instant at(long second) {
    return T0.plus(Duration.standardSeconds(second));
  }

  /** The reader's view of the partition: only the backlog matters to this policy. */
  private static final class Context extends PartitionContext {
    long backlog = UNKNOWN;

    @Override
    public long getMessageBacklog() {
      return backlog;
    }

    @Override
    public Instant getBacklogCheckTime() {
      return Instant.EPOCH;
    }
  }
}
