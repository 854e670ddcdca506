package io.tickstream.pipeline.io;

import static io.tickstream.pipeline.io.SourceTestData.at;
import static io.tickstream.pipeline.io.SourceTestData.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.sink.KinesisSink;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.transforms.ProcessTicks;
import io.tickstream.testing.Kinesalite;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@link ReadKinesisTicks} against kinesalite (two shards), end to end on the direct runner:
 * records published by the generator's {@link KinesisSink}, read by the source, processed by {@link
 * ProcessTicks}. Failsafe runs this with {@code aws.cborEnabled=false}, as kinesalite needs.
 */
public class KinesisSourceIT {
  private static Kinesalite kinesalite;

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @BeforeClass
  public static void startKinesalite() throws IOException {
    kinesalite = Kinesalite.start();
  }

  @AfterClass
  public static void stopKinesalite() {
    if (kinesalite != null) {
      kinesalite.close();
    }
  }

  /**
   * A read that ends once both shards are idle, of exactly what was published: every valid tick
   * once (the resend dropped), each bad line a dead letter with its code, {@code shard=ID seq=N}
   * position and event time, and the bars the ticks make. The symbols hash to both shards (AAA and
   * CCC to one, BBB to the other).
   *
   * <p>Not a bounded read with {@code withMaxNumRecords}: that has no watermark, and with KinesisIO
   * stamping arrival times the direct runner moves the watermark past the ticks' event times before
   * they are re-stamped, finalizing bars early (see {@link ReadKinesisTicks#withMaxNumRecords}).
   */
  @Test
  public void everyRecordBecomesATickOrADeadLetterWithItsShardAndSequence() throws Exception {
    String stream = "ticks";
    kinesalite.createStream(stream, 2);
    int published;
    try (KinesisSink sink = sink(stream)) {
      published = SourceTestData.publish(sink);
    }
    // Without a backlog to look at, a shard that delivered nothing for the idle timeout is taken
    // as read, so the timeout must be far above any pause in delivery (reader restarts from
    // checkpoints on the direct runner, fetch backoff). With 5 s, about one run in ten had the
    // last record (the resend) arrive after the end, escaping deduplication.
    ReadKinesisTicks read =
        ReadKinesisTicks.of(
                stream,
                java.time.Duration.ofSeconds(30),
                java.time.Duration.ofSeconds(15))
            .withEndpoint(kinesalite.endpoint())
            .withRegion(Kinesalite.REGION)
            .withCredentialsProvider(Kinesalite.CREDENTIALS)
            .withEndWhenIdle();
    assertEquals("kinesis:" + stream, read.sourceName());

    // Where each bad line landed and when it arrived, read back independently of the source.
    Map<String, String> positions = new HashMap<>();
    Map<String, Record> stored = readEveryShard(stream, positions);
    assertEquals(2, positions.values().stream().map(s -> s.split(" ")[0]).distinct().count());
    List<String> expectedDeadLetters = new ArrayList<>();
    for (Map.Entry<String, String> bad : SourceTestData.BAD_LINES.entrySet()) {
      Instant eventTime =
          bad.getKey().equals(SourceTestData.UNPARSEABLE)
              // first in its shard: its arrival time
              ? new Instant(stored.get(bad.getKey()).approximateArrivalTimestamp().toEpochMilli())
              : bad.getKey().equals(SourceTestData.MISSING_TIMESTAMP)
                  ? at(SourceTestData.MISSING_TIMESTAMP_AFTER_SECOND) // the shard's last
                  : at(151); // its own
      expectedDeadLetters.add(
          describe(
              bad.getValue(),
              read.sourceName(),
              positions.get(bad.getKey()),
              eventTime,
              bad.getKey()));
    }

    PCollection<RawRecord> raw = p.apply("ReadKinesisTicks", read);
    PCollectionTuple out = raw.apply("ProcessTicks", SourceTestData.processTicks());

    PAssert.thatSingleton(raw.apply("CountRaw", new SourceTestData.CountAll()))
        .isEqualTo((long) published);
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(SourceTestData.ticks());
    PAssert.that(
            out.get(ProcessTicks.DEAD_LETTERS)
                .apply(
                    "Describe",
                    MapElements.into(TypeDescriptors.strings()).via(SourceTestData::describe)))
        .containsInAnyOrder(expectedDeadLetters);
    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(SourceTestData.expectedBars());
    p.run().waitUntilFinish();
  }

  /**
   * An unbounded read where only one of two shards has data: the empty one, and then the busy one
   * once it is read to the end, go idle, so the watermark passes both minutes of data and their
   * windows close, each on time and complete. Without the idle rule no window would ever close.
   */
  @Test
  public void idleShardsDoNotHoldTheWatermarkBack() throws Exception {
    String stream = "one-busy-shard";
    kinesalite.createStream(stream, 2);
    try (KinesisSink sink = sink(stream)) {
      for (long second : SourceTestData.IDLE_SECONDS) {
        sink.send("IDL", 0, SourceTestData.idleTick(second)); // one partition key: one shard
      }
    }

    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    options.as(StreamingOptions.class).setStreaming(true);
    options.as(DirectOptions.class).setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    // The idle timeout is longer than a reader needs to start and fetch its first records: the
    // direct runner restarts readers from checkpoints, and a restarted shard policy that saw no
    // record within the timeout would follow the wall clock and make the rest of the data late.
    pipeline
        .apply(
            "ReadKinesisTicks",
            ReadKinesisTicks.of(
                    stream,
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofSeconds(5))
                .withEndpoint(kinesalite.endpoint())
                .withRegion(Kinesalite.REGION)
                .withCredentialsProvider(Kinesalite.CREDENTIALS))
        .apply("CountPerMinute", new SourceTestData.CountPanesPerMinute(stream));

    PipelineResult result = pipeline.run();
    try {
      boolean closed =
          SourceTestData.await(
              () -> SourceTestData.panes(stream).size() >= 2, Duration.ofSeconds(120));
      assertTrue(closed, "windows closed: " + SourceTestData.panes(stream));
      assertEquals(
          List.of(at(0) + " 6 ON_TIME", at(60) + " 7 ON_TIME"), SourceTestData.panes(stream));
    } finally {
      result.cancel();
    }
  }

  private static KinesisSink sink(String stream) {
    return KinesisSink.create(
        stream,
        kinesalite.endpoint(),
        Kinesalite.REGION,
        Kinesalite.CREDENTIALS,
        KinesisSink.Backoff.DEFAULT);
  }

  /**
   * Reads every shard from TRIM_HORIZON to its current end; returns the records by payload and puts
   * each payload's {@code shard=ID seq=N} into {@code positions}.
   */
  private static Map<String, Record> readEveryShard(String stream, Map<String, String> positions) {
    Map<String, Record> byPayload = new HashMap<>();
    for (Shard shard : kinesalite.client().listShards(b -> b.streamName(stream)).shards()) {
      String iterator =
          kinesalite
              .client()
              .getShardIterator(
                  b ->
                      b.streamName(stream)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      while (iterator != null) {
        String current = iterator;
        GetRecordsResponse response = kinesalite.client().getRecords(b -> b.shardIterator(current));
        for (Record r : response.records()) {
          String payload = r.data().asUtf8String();
          byPayload.put(payload, r);
          positions.put(payload, "shard=" + shard.shardId() + " seq=" + r.sequenceNumber());
        }
        iterator = response.records().isEmpty() ? null : response.nextShardIterator();
      }
    }
    return byPayload;
  }
}
