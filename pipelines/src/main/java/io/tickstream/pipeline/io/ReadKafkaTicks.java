package io.tickstream.pipeline.io;

import com.google.auto.value.AutoValue;
import io.tickstream.pipeline.metrics.BundleCounter;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.time.BeamTime;
import io.tickstream.pipeline.time.WallClock;
import java.time.Duration;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads ticks from every partition of one Kafka topic as raw records, with {@code partition=P
 * offset=O} positions and source {@code kafka:HOST:PORT/TOPIC} for dead letters.
 *
 * <p>Unbounded, unless bounded with {@link #withMaxNumRecords} or {@link #withMaxReadTime}, or
 * ended when caught up with {@link #withEndWhenIdle} (tests and backfills). Each record is stamped
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

  abstract String getBootstrapServers();

  abstract String getTopic();

  abstract Duration getMaxOutOfOrderness();

  abstract Duration getIdleTimeout();

  abstract @Nullable String getGroupId();

  abstract long getMaxNumRecords();

  abstract @Nullable Duration getMaxReadTime();

  abstract boolean getEndWhenIdle();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBootstrapServers(String bootstrapServers);

    abstract Builder setTopic(String topic);

    abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    abstract Builder setIdleTimeout(Duration idleTimeout);

    abstract Builder setGroupId(@Nullable String groupId);

    abstract Builder setMaxNumRecords(long maxNumRecords);

    abstract Builder setMaxReadTime(@Nullable Duration maxReadTime);

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
        .setMaxNumRecords(Long.MAX_VALUE)
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
   * Stops after this many records in all, making the output bounded. KafkaIO shares the number out
   * evenly among its splits (one split below 10,000 records), so a split whose partitions hold
   * fewer records waits for more; combine with {@link #withMaxReadTime} unless the count is exact.
   */
  public ReadKafkaTicks withMaxNumRecords(long maxNumRecords) {
    BoundedOutOfOrdernessWatermark.checkMaxNumRecords(maxNumRecords, getEndWhenIdle());
    return toBuilder().setMaxNumRecords(maxNumRecords).build();
  }

  /** Stops each split after reading for this long, making the output bounded. */
  public ReadKafkaTicks withMaxReadTime(Duration maxReadTime) {
    BoundedOutOfOrdernessWatermark.checkMaxReadTime(maxReadTime, getEndWhenIdle());
    return toBuilder().setMaxReadTime(maxReadTime).build();
  }

  /**
   * Ends the read once every partition is idle (no record for {@code idleTimeout}, nothing left to
   * read): instead of advancing, an idle partition's watermark goes to the end of time, and the
   * runner finishes the source when all have. The read stays a streaming read with event-time
   * watermarks, for backfills and tests that must end when the topic has been read. Not combinable
   * with {@link #withMaxNumRecords} or {@link #withMaxReadTime}, whose bounded reads have no
   * watermark.
   */
  public ReadKafkaTicks withEndWhenIdle() {
    BoundedOutOfOrdernessWatermark.checkEndWhenIdle(getMaxNumRecords(), getMaxReadTime());
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
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
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
    if (getMaxNumRecords() != Long.MAX_VALUE) {
      read = read.withMaxNumRecords(getMaxNumRecords());
    }
    Duration maxReadTime = getMaxReadTime();
    if (maxReadTime != null) {
      read = read.withMaxReadTime(BeamTime.duration(maxReadTime));
    }
    try {
      return begin
          .apply("ReadKafka", read)
          .apply("ToRawRecords", ParDo.of(new ToRawRecordFn(sourceName())))
          .setCoder(begin.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keeps the payload and where it came from; the timestamp is the policy's event time. */
  static final class ToRawRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private static final byte[] EMPTY = new byte[0];
    private final String source;
    private final BundleCounter read = BundleCounter.of(PipelineMetrics.RECORDS_READ);

    ToRawRecordFn(String source) {
      this.source = source;
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record, OutputReceiver<RawRecord> out) {
      byte[] value = record.getKV().getValue();
      read.add(1);
      // A tombstone (null value) becomes an empty payload: a dead letter, not a lost record.
      out.output(
          RawRecord.create(
              source,
              "partition=" + record.getPartition() + " offset=" + record.getOffset(),
              value == null ? EMPTY : value));
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
