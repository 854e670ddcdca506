package io.tickstream.pipeline.sink.datalake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.LakeRecords;
import io.tickstream.tick.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unbounded writes with {@link TestStream}, one test per lateness case: on time, late within the
 * allowed lateness, and later than that.
 */
class WriteDatasetStreamingTest {
  private static final Instant START = new Instant(0);
  private static final String PARTITION = "dt=1970-01-01/hour=00";

  @TempDir Path lake;

  @Test
  void writesEachWindowWhenTheWatermarkPassesIt() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    TestStream<Tick> stream =
        TestStream.create(LakeRecords.coder(p, Dataset.TICKS))
            .advanceWatermarkTo(START)
            .addElements(event("A-1", 10), event("A-2", 70))
            .advanceWatermarkTo(START.plus(org.joda.time.Duration.standardMinutes(1)))
            .addElements(event("A-3", 80))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, String>> written =
        p.apply(stream).apply("WriteTicks", WriteDataset.of(Dataset.TICKS, config()));
    PAssert.that(written)
        .containsInAnyOrder(
            writtenFile("part-19700101T000000Z-19700101T000100Z-pane0-00000-of-00001.parquet"),
            writtenFile("part-19700101T000100Z-19700101T000200Z-pane0-00000-of-00001.parquet"));
    p.run().waitUntilFinish();

    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(
          reader.records(Dataset.TICKS),
          containsInAnyOrder(tick("A-1", 10), tick("A-2", 70), tick("A-3", 80)));
    }
  }

  @Test
  void writesLateRecordsWithinTheAllowedLatenessInAFileOfTheirOwn() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    TestStream<Tick> stream =
        TestStream.create(LakeRecords.coder(p, Dataset.TICKS))
            .advanceWatermarkTo(START)
            .addElements(event("A-1", 10), event("A-2", 70))
            // Both windows close on time...
            .advanceWatermarkTo(START.plus(org.joda.time.Duration.standardMinutes(3)))
            // ...then a record of the first arrives 2m50s late, within the day allowed.
            .addElements(event("A-3", 20))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, String>> written =
        p.apply(stream).apply("WriteTicks", WriteDataset.of(Dataset.TICKS, config()));
    PAssert.that(written)
        .containsInAnyOrder(
            writtenFile("part-19700101T000000Z-19700101T000100Z-pane0-00000-of-00001.parquet"),
            writtenFile("part-19700101T000000Z-19700101T000100Z-pane1-00000-of-00001.parquet"),
            writtenFile("part-19700101T000100Z-19700101T000200Z-pane0-00000-of-00001.parquet"));
    p.run().waitUntilFinish();

    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(
          reader.records(Dataset.TICKS),
          containsInAnyOrder(tick("A-1", 10), tick("A-2", 70), tick("A-3", 20)));
      assertEquals(
          List.of(
              PARTITION + "/part-19700101T000000Z-19700101T000100Z-pane0-00000-of-00001.parquet",
              PARTITION + "/part-19700101T000000Z-19700101T000100Z-pane1-00000-of-00001.parquet",
              PARTITION + "/part-19700101T000100Z-19700101T000200Z-pane0-00000-of-00001.parquet"),
          reader.files(Dataset.TICKS));
    }
  }

  @Test
  void batchesGoToTheFilesOfTheirRecordsTimes() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    TestStream<List<Tick>> stream =
        TestStream.create(ListCoder.of(LakeRecords.coder(p, Dataset.TICKS)))
            .advanceWatermarkTo(START)
            // One batch across two windows, stamped with its earliest record's time.
            .addElements(batch(tick("A-1", 10), tick("A-2", 70)))
            .advanceWatermarkTo(START.plus(org.joda.time.Duration.standardMinutes(3)))
            // A late record of the first window and an on-time one of the fourth, in one batch.
            .addElements(batch(tick("A-3", 20), tick("A-4", 200)))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, String>> written =
        p.apply(stream).apply("WriteTicks", WriteDataset.ofBatches(Dataset.TICKS, config()));
    PAssert.that(written)
        .containsInAnyOrder(
            writtenFile("part-19700101T000000Z-19700101T000100Z-pane0-00000-of-00001.parquet"),
            writtenFile("part-19700101T000000Z-19700101T000100Z-pane1-00000-of-00001.parquet"),
            writtenFile("part-19700101T000100Z-19700101T000200Z-pane0-00000-of-00001.parquet"),
            writtenFile("part-19700101T000300Z-19700101T000400Z-pane0-00000-of-00001.parquet"));
    p.run().waitUntilFinish();

    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(
          reader.records(Dataset.TICKS),
          containsInAnyOrder(tick("A-1", 10), tick("A-2", 70), tick("A-3", 20), tick("A-4", 200)));
    }
  }

  /** The documented limit: only records later than the allowed lateness are not written. */
  @Test
  void dropsOnlyRecordsLaterThanTheAllowedLateness() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    TestStream<Tick> stream =
        TestStream.create(LakeRecords.coder(p, Dataset.TICKS))
            .advanceWatermarkTo(START)
            .addElements(event("A-1", 10))
            .advanceWatermarkTo(START.plus(org.joda.time.Duration.standardMinutes(10)))
            // Window [0s, 60s) expired at 6m: too late. Window [8m, 9m) expires at 14m: written.
            .addElements(event("A-2", 20), event("A-3", 500))
            .advanceWatermarkToInfinity();

    p.apply(stream)
        .apply(
            "WriteTicks",
            WriteDataset.of(Dataset.TICKS, config().withAllowedLateness(Duration.ofMinutes(5))));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(
          reader.records(Dataset.TICKS), containsInAnyOrder(tick("A-1", 10), tick("A-3", 500)));
    }
    // The dropped record is counted: handed to the writer, not written.
    assertEquals(3, PipelineMetrics.sum(result, PipelineMetrics.LAKE_ROWS_IN));
    assertEquals(2, PipelineMetrics.sum(result, PipelineMetrics.LAKE_ROWS_WRITTEN));
  }

  private LakeConfig config() {
    return LakeConfig.at(lake.toString());
  }

  private KV<String, String> writtenFile(String name) {
    return KV.of(
        "ticks/" + PARTITION, lake.resolve("ticks").resolve(PARTITION).resolve(name).toString());
  }

  private static Tick tick(String id, int second) {
    return Tick.create(id, "A", 10 + second, second, START.plus(second * 1000L), null, null);
  }

  private static TimestampedValue<List<Tick>> batch(Tick... ticks) {
    Instant earliest = ticks[0].getTimestamp();
    for (Tick tick : ticks) {
      earliest = tick.getTimestamp().isBefore(earliest) ? tick.getTimestamp() : earliest;
    }
    return TimestampedValue.of(List.of(ticks), earliest);
  }

  private static TimestampedValue<Tick> event(String id, int second) {
    Tick tick = tick(id, second);
    return TimestampedValue.of(tick, tick.getTimestamp());
  }
}
