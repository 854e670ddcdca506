package io.tickstream.pipeline.io;

import com.google.auto.value.AutoValue;
import io.tickstream.pipeline.metrics.BundleCounter;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.time.WallClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaUnboundedSources;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads ticks from every partition of one Kafka topic as raw records, with {@code partition=P
 * offset=O} positions and source {@code kafka:HOST:PORT/TOPIC} for dead letters.
 *
 * <p>Unbounded, unless ended when caught up with {@link #withEndWhenIdle} (tests and backfills).
 * KafkaIO's reader is read in batches of up to {@value #MAX_BATCH} records ({@link BatchedSource}):
 * Beam on Flink folds the task's metrics into Flink's after every record a source hands out, which
 * one record at a time cost a quarter of the source task (profiled). Each record is stamped
 * with its event time, read cheaply from the payload; a record without a readable timestamp gets
 * the previous readable one of its partition, or its Kafka timestamp. The watermark trails each
 * partition's largest event time by {@code maxOutOfOrderness}; a partition with nothing to read for
 * {@code idleTimeout} of wall time stops holding it back ({@link BoundedOutOfOrdernessPolicy},
 * whose rule is in {@link BoundedOutOfOrdernessWatermark}). Output is in the global window.
 *
 * <p>Reading starts at the consumer group's committed offsets, or at the earliest offsets for a new
 * group, and offsets are committed to the group when the runner finalizes a checkpoint: a restarted
 * job without saved state resumes about where the last one stopped, at least once. Bad payloads are
 * not this step's business: every record goes out, and {@code ParseTicks} turns the bad ones into
 * dead letters. Broker failures are retried by the Kafka client; what it gives up on fails the
 * bundle, and the runner retries it.
 */
@AutoValue
public abstract class ReadKafkaTicks extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  /** Records a source element carries at most; see {@link BatchedSource}. */
  static final int MAX_BATCH = 256;

  abstract String getBootstrapServers();

  abstract String getTopic();

  abstract Duration getMaxOutOfOrderness();

  abstract Duration getIdleTimeout();

  abstract @Nullable String getGroupId();

  abstract boolean getEndWhenIdle();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBootstrapServers(String bootstrapServers);

    abstract Builder setTopic(String topic);

    abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    abstract Builder setIdleTimeout(Duration idleTimeout);

    abstract Builder setGroupId(@Nullable String groupId);

    abstract Builder setEndWhenIdle(boolean endWhenIdle);

    abstract ReadKafkaTicks build();
  }

  /**
   * Reads {@code topic} without end.
   *
   * @param bootstrapServers {@code host:port[,host:port...]}
   * @param maxOutOfOrderness how far behind a partition's latest event time its watermark stays
   *     (zero or more)
   * @param idleTimeout wall time without records, with nothing left to read, after which a
   *     partition's watermark advances with the wall clock (more than zero)
   */
  public static ReadKafkaTicks of(
      String bootstrapServers, String topic, Duration maxOutOfOrderness, Duration idleTimeout) {
    requireNonBlank(bootstrapServers, "bootstrapServers");
    requireNonBlank(topic, "topic");
    BoundedOutOfOrdernessWatermark.checkArguments(maxOutOfOrderness, idleTimeout);
    return new AutoValue_ReadKafkaTicks.Builder()
        .setBootstrapServers(bootstrapServers)
        .setTopic(topic)
        .setMaxOutOfOrderness(maxOutOfOrderness)
        .setIdleTimeout(idleTimeout)
        .setEndWhenIdle(false)
        .build();
  }

  /**
   * Commits offsets to, and resumes from, this consumer group; default {@code tickstream-TOPIC}.
   * Two jobs reading one topic need different groups, or they move each other's offsets.
   */
  public ReadKafkaTicks withConsumerGroupId(String groupId) {
    requireNonBlank(groupId, "groupId");
    return toBuilder().setGroupId(groupId).build();
  }

  /**
   * Ends the read once every partition is idle (no record for {@code idleTimeout}, nothing left to
   * read): instead of advancing, an idle partition's watermark goes to the end of time, and the
   * runner finishes the source when all have. The read stays a streaming read with event-time
   * watermarks, for backfills and tests that must end when the topic has been read.
   */
  public ReadKafkaTicks withEndWhenIdle() {
    return toBuilder().setEndWhenIdle(true).build();
  }

  /** The {@code source} of this transform's records: {@code kafka:HOST:PORT/TOPIC}. */
  public String sourceName() {
    return "kafka:" + getBootstrapServers() + "/" + getTopic();
  }

  /** The consumer group offsets are committed to. */
  public String consumerGroupId() {
    String groupId = getGroupId();
    return groupId != null ? groupId : "tickstream-" + getTopic();
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(getBootstrapServers())
            .withTopic(getTopic())
            .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, ByteArrayCoder.of())
            .withValueDeserializerAndCoder(ByteArrayDeserializer.class, ByteArrayCoder.of())
            .withConsumerConfigUpdates(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    consumerGroupId(),
                    // Only for a group without committed offsets: take the topic from its start.
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    // Offsets are committed only for records the runner has checkpointed.
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false))
            .withTimestampPolicyFactory(
                BoundedOutOfOrdernessPolicy.factory(
                    getMaxOutOfOrderness(), getIdleTimeout(), getEndWhenIdle(), WallClock.SYSTEM))
            .commitOffsetsInFinalize();
    // KafkaIO's own expansion on Flink is Read.from(this source); only the batching is added.
    UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> source =
        KafkaUnboundedSources.of(read);
    try {
      return begin
          .apply("ReadKafka", Read.from(BatchedSource.of(source, MAX_BATCH)))
          .apply("ToRawRecords", ParDo.of(new ToRawRecordsFn(sourceName())))
          .setCoder(begin.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Emits each record of a batch at its own event time (none earlier than the batch's), keeping the
   * payload and where it came from.
   */
  static final class ToRawRecordsFn
      extends DoFn<List<TimestampedValue<KafkaRecord<byte[], byte[]>>>, RawRecord> {
    private static final byte[] EMPTY = new byte[0];
    private final String source;
    private final BundleCounter read = BundleCounter.of(PipelineMetrics.RECORDS_READ);

    ToRawRecordsFn(String source) {
      this.source = source;
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<KafkaRecord<byte[], byte[]>>> batch,
        OutputReceiver<RawRecord> out) {
      read.add(batch.size());
      for (TimestampedValue<KafkaRecord<byte[], byte[]>> stamped : batch) {
        KafkaRecord<byte[], byte[]> record = stamped.getValue();
        byte[] value = record.getKV().getValue();
        // A tombstone (null value) becomes an empty payload: a dead letter, not a lost record.
        out.outputWithTimestamp(
            RawRecord.create(
                source,
                "partition=" + record.getPartition() + " offset=" + record.getOffset(),
                value == null ? EMPTY : value),
            stamped.getTimestamp());
      }
    }

    @FinishBundle
    public void finishBundle() {
      read.flush();
    }
  }

  private static void requireNonBlank(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
