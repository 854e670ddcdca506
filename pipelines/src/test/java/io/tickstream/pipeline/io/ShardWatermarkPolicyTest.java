package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickstream.pipeline.model.RawRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicy;
import org.apache.beam.sdk.transforms.DoFn.OutputReceiver;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The Kinesis shard watermark policy under a fake wall clock, and the re-stamping of records from
 * arrival time to event time. Kinesis gives no backlog, so idleness is wall time without records.
 */
class ShardWatermarkPolicyTest {
  private static final Duration BOUND = Duration.standardSeconds(30);
  private static final Duration IDLE = Duration.standardMinutes(1);
  private static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
  private static final Instant WALL = Instant.parse("2030-01-01T00:00:00Z");

  private final FakeClock clock = new FakeClock(WALL);
  private long sequence = 49_000_000;

  @Test
  void theWatermarkTrailsTheLargestEventTimeAndUnreadableRecordsDoNotMoveIt() {
    WatermarkPolicy policy =
        ShardWatermarkPolicy.factory(
                java.time.Duration.ofMillis(BOUND.getMillis()),
                java.time.Duration.ofMillis(IDLE.getMillis()),
                false,
                clock)
            .createWatermarkPolicy();
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark());
    policy.update(record("shardId-000000000000", tick(100)));
    policy.update(record("shardId-000000000000", tick(90)));
    assertEquals(at(70), policy.getWatermark());
    policy.update(record("shardId-000000000000", "{\"no\":\"timestamp\"}"));
    assertEquals(at(70), policy.getWatermark());
  }

  @Test
  void aShardWithoutRecordsForTheIdleTimeoutAdvancesWithWallTime() {
    WatermarkPolicy policy =
        ShardWatermarkPolicy.factory(
                java.time.Duration.ofMillis(BOUND.getMillis()),
                java.time.Duration.ofMillis(IDLE.getMillis()),
                false,
                clock)
            .createWatermarkPolicy();
    policy.update(record("shardId-000000000000", tick(100)));
    clock.advance(IDLE);
    assertEquals(at(70), policy.getWatermark());
    clock.advance(Duration.standardSeconds(9));
    assertEquals(at(79), policy.getWatermark());
  }

  @Test
  void anEmptyShardFollowsTheWallClockOnceIdle() {
    WatermarkPolicy policy =
        ShardWatermarkPolicy.factory(
                java.time.Duration.ofMillis(BOUND.getMillis()),
                java.time.Duration.ofMillis(IDLE.getMillis()),
                false,
                clock)
            .createWatermarkPolicy();
    clock.advance(IDLE.minus(1));
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark());
    clock.advance(Duration.standardSeconds(1));
    assertEquals(clock.now().minus(BOUND), policy.getWatermark());
  }

  @Test
  void endingWhenIdleEndsAShardThatDeliveredNothingForTheTimeout() {
    WatermarkPolicy policy =
        ShardWatermarkPolicy.factory(
                java.time.Duration.ofMillis(BOUND.getMillis()),
                java.time.Duration.ofMillis(IDLE.getMillis()),
                true,
                clock)
            .createWatermarkPolicy();
    policy.update(record("shardId-000000000000", tick(100)));
    clock.advance(IDLE.minus(1));
    assertEquals(at(70), policy.getWatermark());
    clock.advance(Duration.millis(1));
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, policy.getWatermark());
  }

  @Test
  void recordsAreReStampedWithEventTimeOrTheShardsLastOrTheirArrival() {
    ReadKinesisTicks.ToRawRecordFn fn = new ReadKinesisTicks.ToRawRecordFn("kinesis:ticks");
    fn.setup();
    Collector out = new Collector();
    String a = "shardId-000000000000";
    String b = "shardId-000000000001";
    KinesisRecord bad = record(b, "{\"broken");

    fn.process(bad, out); // nothing readable before it in shard b: its arrival time
    fn.process(record(a, tick(100)), out);
    fn.process(record(a, "[1,2]"), out); // the last readable of its own shard
    fn.process(record(b, tick(40)), out);
    fn.process(record(b, ""), out);

    assertEquals(
        List.of(bad.getApproximateArrivalTimestamp(), at(100), at(100), at(40), at(40)),
        out.timestamps());
    RawRecord first = out.values.get(0).getValue();
    assertEquals("kinesis:ticks", first.getSource());
    assertEquals("shard=" + b + " seq=" + bad.getSequenceNumber(), first.getPosition());
    assertArrayEquals("{\"broken".getBytes(StandardCharsets.UTF_8), first.getPayload());
  }

  @Test
  void aSubRecordOfAnAggregatedBatchNamesItsSubSequenceNumber() {
    KinesisRecord sub =
        new KinesisRecord(
            ByteBuffer.wrap(new byte[] {'{', '}'}),
            "4959",
            3,
            "ABC",
            WALL,
            WALL,
            "ticks",
            "shardId-000000000002");
    assertEquals(
        "shard=shardId-000000000002 seq=4959 subseq=3",
        ReadKinesisTicks.ToRawRecordFn.position(sub));
  }

  private KinesisRecord record(String shard, String data) {
    // Read-only, as the SDK hands data out: the policy and the mapping must copy, not array().
    ByteBuffer buffer = ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    return new KinesisRecord(
        buffer,
        Long.toString(sequence++),
        0,
        "ABC",
        clock.now().minus(Duration.millis(sequence % 1000)),
        clock.now(),
        "ticks",
        shard);
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

  /** Collects what a DoFn outputs, with timestamps. */
  private static final class Collector implements OutputReceiver<RawRecord> {
    final List<TimestampedValue<RawRecord>> values = new ArrayList<>();

    @Override
    public void output(RawRecord output) {
      throw new AssertionError("records must be re-stamped, not output with the arrival time");
    }

    @Override
    public void outputWithTimestamp(RawRecord output, Instant timestamp) {
      values.add(TimestampedValue.of(output, timestamp));
    }

    List<Instant> timestamps() {
      List<Instant> out = new ArrayList<>();
      values.forEach(v -> out.add(v.getTimestamp()));
      return out;
    }
  }
}
