package io.tickstream.pipeline.io;

import static io.tickstream.pipeline.io.SourceTestData.at;
import static io.tickstream.pipeline.io.SourceTestData.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.sink.KafkaSink;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.transforms.ProcessTicks;
import io.tickstream.testing.KafkaBroker;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@link ReadKafkaTicks} against a real Kafka broker, end to end on the direct runner: records
 * published by the generator's {@link KafkaSink}, read by the source, processed by {@link
 * ProcessTicks}.
 */
public class KafkaSourceIT {
  private static KafkaBroker broker;

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @BeforeClass
  public static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterClass
  public static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * A read that ends once every partition is idle, of exactly what was published: every valid tick
   * once (the resend dropped), each bad line a dead letter with its code, {@code partition=P
   * offset=O} position and event time, and the bars the ticks make.
   */
  @Test
  public void everyRecordBecomesATickOrADeadLetterWithItsPartitionAndOffset() throws Exception {
    String topic = "ticks";
    broker.createTopic(topic, 3);
    int published;
    try (KafkaSink sink = new KafkaSink(broker.bootstrapServers(), topic, Map.of())) {
      published = SourceTestData.publish(sink);
    }
    ReadKafkaTicks read =
        ReadKafkaTicks.of(
                broker.bootstrapServers(),
                topic,
                java.time.Duration.ofSeconds(30),
                // Idle only with nothing left to read (Kafka tells the backlog): this can be short.
                java.time.Duration.ofSeconds(2))
            .withConsumerGroupId("every-record-it")
            .withEndWhenIdle();
    String source = "kafka:" + broker.bootstrapServers() + "/" + topic;
    assertEquals(source, read.sourceName());

    // Where each bad line landed and its Kafka timestamp, read back independently of the source.
    Map<String, ConsumerRecord<String, String>> stored = new HashMap<>();
    for (ConsumerRecord<String, String> r :
        broker.consumeAll(topic, published, Duration.ofSeconds(30))) {
      stored.put(r.value(), r);
    }
    List<String> expectedDeadLetters = new ArrayList<>();
    for (Map.Entry<String, String> bad : SourceTestData.BAD_LINES.entrySet()) {
      ConsumerRecord<String, String> r = stored.get(bad.getKey());
      Instant eventTime =
          bad.getKey().equals(SourceTestData.UNPARSEABLE)
              ? new Instant(r.timestamp()) // first in its partition: its Kafka timestamp
              : bad.getKey().equals(SourceTestData.MISSING_TIMESTAMP)
                  ? at(SourceTestData.MISSING_TIMESTAMP_AFTER_SECOND) // the partition's last
                  : at(151); // its own
      expectedDeadLetters.add(
          describe(
              bad.getValue(),
              source,
              "partition=" + r.partition() + " offset=" + r.offset(),
              eventTime,
              bad.getKey()));
    }

    PCollection<RawRecord> raw = p.apply("ReadKafkaTicks", read);
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
   * An unbounded read where only one of three partitions has data: the two empty ones, and then the
   * busy one once it is read to the end, go idle, so the watermark passes both minutes of data and
   * their windows close, each on time and complete. Without the idle rule no window would ever
   * close.
   */
  @Test
  public void idlePartitionsDoNotHoldTheWatermarkBack() throws Exception {
    String topic = "one-busy-partition";
    broker.createTopic(topic, 3);
    try (KafkaSink sink = new KafkaSink(broker.bootstrapServers(), topic, Map.of())) {
      for (long second : SourceTestData.IDLE_SECONDS) {
        sink.send("IDL", 0, SourceTestData.idleTick(second)); // one key: one partition
      }
    }

    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    options.as(StreamingOptions.class).setStreaming(true);
    options.as(DirectOptions.class).setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            "ReadKafkaTicks",
            ReadKafkaTicks.of(
                    broker.bootstrapServers(),
                    topic,
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofSeconds(1))
                .withConsumerGroupId("idle-it"))
        .apply("CountPerMinute", new SourceTestData.CountPanesPerMinute(topic));

    PipelineResult result = pipeline.run();
    try {
      boolean closed =
          SourceTestData.await(
              () -> SourceTestData.panes(topic).size() >= 2, Duration.ofSeconds(120));
      assertTrue(closed, "windows closed: " + SourceTestData.panes(topic));
      assertEquals(
          List.of(at(0) + " 6 ON_TIME", at(60) + " 7 ON_TIME"), SourceTestData.panes(topic));
    } finally {
      result.cancel();
    }
  }
}
