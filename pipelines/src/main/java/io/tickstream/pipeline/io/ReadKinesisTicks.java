package io.tickstream.pipeline.io;

import com.google.auto.value.AutoValue;
import io.tickstream.pipeline.metrics.BundleCounter;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.time.BeamTime;
import io.tickstream.pipeline.time.WallClock;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * Reads ticks from every shard of one Kinesis data stream as raw records, with {@code shard=ID
 * seq=SEQUENCE} positions and source {@code kinesis:STREAM} for dead letters.
 *
 * <p>Unbounded, unless bounded with {@link #withMaxNumRecords} or {@link #withMaxReadTime}, or
 * ended when caught up with {@link #withEndWhenIdle} (tests and backfills). Starts at TRIM_HORIZON
 * (the oldest record kept) unless told otherwise; a job restored from a checkpoint resumes from it.
 * In Beam 2.62 a new job started from a retained checkpoint or savepoint also reads every shard
 * again from the initial position (beam#31313, fixed after 2.62): resends within the dedup window
 * are dropped by {@code ComputeBars}, older ones arrive late. Each record is stamped with its event
 * time, read cheaply from the payload; a record without a readable timestamp gets the previous
 * readable one of its shard seen by the same worker, or its Kinesis arrival time. The watermark
 * trails each shard's largest event time by {@code maxOutOfOrderness}; a shard with no records for
 * {@code idleTimeout} of wall time stops holding it back ({@link ShardWatermarkPolicy}, whose rule
 * is in {@link BoundedOutOfOrdernessWatermark}). Output is in the global window.
 *
 * <p>Endpoint, region and credentials not set here come from Beam's {@code AwsOptions} ({@code
 * --endpoint}, {@code --awsRegion}, {@code --awsCredentialsProvider}). Bad payloads are not this
 * step's business: every record goes out, and {@code ParseTicks} turns the bad ones into dead
 * letters. Kinesis errors are retried by the SDK and KinesisIO.
 *
 * <p><b>CBOR.</b> The AWS SDK speaks CBOR to Kinesis by default; kinesalite and other local
 * stand-ins speak only JSON, and with CBOR the reader retries forever without failing. {@link
 * #expand} sets the JVM-wide system property {@code aws.cborEnabled=false} when it is unset
 * (Kinesis itself speaks JSON as well), which covers runners in the launching JVM (direct, Flink
 * local). Workers in other JVMs reading a local stand-in need {@code -Daws.cborEnabled=false} or
 * the environment variable {@code CBOR_ENABLED=false} themselves.
 */
@AutoValue
public abstract class ReadKinesisTicks extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  /** The SDK v2 switch for CBOR; SDK v1's {@code AWS_CBOR_DISABLE} does nothing here. */
  static final String CBOR_PROPERTY = "aws.cborEnabled";

  abstract String getStreamName();

  abstract Duration getMaxOutOfOrderness();

  abstract Duration getIdleTimeout();

  abstract ClientConfiguration getClient();

  abstract InitialPositionInStream getInitialPosition();

  abstract long getMaxNumRecords();

  abstract @Nullable Duration getMaxReadTime();

  abstract boolean getEndWhenIdle();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setStreamName(String streamName);

    abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    abstract Builder setIdleTimeout(Duration idleTimeout);

    abstract Builder setClient(ClientConfiguration client);

    abstract Builder setInitialPosition(InitialPositionInStream initialPosition);

    abstract Builder setMaxNumRecords(long maxNumRecords);

    abstract Builder setMaxReadTime(@Nullable Duration maxReadTime);

    abstract Builder setEndWhenIdle(boolean endWhenIdle);

    abstract ReadKinesisTicks build();
  }

  /**
   * Reads {@code streamName} without end, from TRIM_HORIZON.
   *
   * @param maxOutOfOrderness how far behind a shard's latest event time its watermark stays (zero
   *     or more)
   * @param idleTimeout wall time without records after which a shard's watermark advances with the
   *     wall clock (more than zero)
   */
  public static ReadKinesisTicks of(
      String streamName, Duration maxOutOfOrderness, Duration idleTimeout) {
    if (streamName == null || streamName.isBlank()) {
      throw new IllegalArgumentException("streamName must not be blank");
    }
    BoundedOutOfOrdernessWatermark.checkArguments(maxOutOfOrderness, idleTimeout);
    return new AutoValue_ReadKinesisTicks.Builder()
        .setStreamName(streamName)
        .setMaxOutOfOrderness(maxOutOfOrderness)
        .setIdleTimeout(idleTimeout)
        .setClient(ClientConfiguration.builder().build())
        .setInitialPosition(InitialPositionInStream.TRIM_HORIZON)
        .setMaxNumRecords(Long.MAX_VALUE)
        .setEndWhenIdle(false)
        .build();
  }

  /** The service endpoint (e.g. kinesalite's); null for the region's own. */
  public ReadKinesisTicks withEndpoint(@Nullable URI endpoint) {
    return toBuilder().setClient(getClient().toBuilder().endpoint(endpoint).build()).build();
  }

  /** The region; unset, {@code --awsRegion} or the SDK's region chain. */
  public ReadKinesisTicks withRegion(Region region) {
    return toBuilder()
        .setClient(getClient().toBuilder().region(Objects.requireNonNull(region, "region")).build())
        .build();
  }

  /**
   * The credentials (one the SDK's JSON form for Beam options can carry, such as static or
   * default); unset, {@code --awsCredentialsProvider} or the SDK's default chain.
   */
  public ReadKinesisTicks withCredentialsProvider(AwsCredentialsProvider credentials) {
    return toBuilder()
        .setClient(
            getClient().toBuilder()
                .credentialsProvider(Objects.requireNonNull(credentials, "credentials"))
                .build())
        .build();
  }

  /** Where to start in each shard without a checkpoint: TRIM_HORIZON (default) or LATEST. */
  public ReadKinesisTicks withInitialPosition(InitialPositionInStream position) {
    Objects.requireNonNull(position, "position");
    if (position == InitialPositionInStream.AT_TIMESTAMP) {
      throw new IllegalArgumentException(
          "AT_TIMESTAMP needs a timestamp; KinesisIO takes it with withInitialTimestampInStream,"
              + " which this transform does not offer");
    }
    return toBuilder().setInitialPosition(position).build();
  }

  /**
   * Stops after this many records in all, making the output bounded. KinesisIO shares the number
   * out evenly among its splits (one split below 10,000 records), so a split whose shards hold
   * fewer records waits for more; combine with {@link #withMaxReadTime} unless the count is exact.
   *
   * <p>A bounded read has no watermark, and KinesisIO stamps its records with their arrival time
   * before this transform re-stamps them with event time. A runner that advances watermarks during
   * a batch run (the direct runner does) may therefore pass records' event times before they are
   * re-stamped, and event-time steps downstream treat them as late. Records, positions and dead
   * letters are exact; for exact event-time results use {@link #withEndWhenIdle} instead.
   */
  public ReadKinesisTicks withMaxNumRecords(long maxNumRecords) {
    BoundedOutOfOrdernessWatermark.checkMaxNumRecords(maxNumRecords, getEndWhenIdle());
    return toBuilder().setMaxNumRecords(maxNumRecords).build();
  }

  /**
   * Stops each split after reading for this long, making the output bounded; see {@link
   * #withMaxNumRecords} on event time in bounded reads.
   */
  public ReadKinesisTicks withMaxReadTime(Duration maxReadTime) {
    BoundedOutOfOrdernessWatermark.checkMaxReadTime(maxReadTime, getEndWhenIdle());
    return toBuilder().setMaxReadTime(maxReadTime).build();
  }

  /**
   * Ends the read once every shard is idle (no record for {@code idleTimeout}): instead of
   * advancing, an idle shard's watermark goes to the end of time, and the runner finishes the
   * source when all have. The read stays a streaming read with event-time watermarks, for backfills
   * and tests that must end when the stream has been read. Kinesis gives no backlog, so a shard
   * that delivers nothing for {@code idleTimeout} (a reader still starting, throttling) is taken as
   * read: choose the timeout well above such pauses. Not combinable with {@link #withMaxNumRecords}
   * or {@link #withMaxReadTime}, whose bounded reads have no watermark.
   */
  public ReadKinesisTicks withEndWhenIdle() {
    BoundedOutOfOrdernessWatermark.checkEndWhenIdle(getMaxNumRecords(), getMaxReadTime());
    return toBuilder().setEndWhenIdle(true).build();
  }

  /** The {@code source} of this transform's records: {@code kinesis:STREAM}. */
  public String sourceName() {
    return "kinesis:" + getStreamName();
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    if (System.getProperty(CBOR_PROPERTY) == null) {
      System.setProperty(CBOR_PROPERTY, "false");
    }
    KinesisIO.Read read =
        KinesisIO.read()
            .withStreamName(getStreamName())
            .withInitialPositionInStream(getInitialPosition())
            .withClientConfiguration(getClient())
            .withCustomWatermarkPolicy(
                ShardWatermarkPolicy.factory(
                    getMaxOutOfOrderness(), getIdleTimeout(), getEndWhenIdle(), WallClock.SYSTEM));
    if (getMaxNumRecords() != Long.MAX_VALUE) {
      read = read.withMaxNumRecords(getMaxNumRecords());
    }
    Duration maxReadTime = getMaxReadTime();
    if (maxReadTime != null) {
      read = read.withMaxReadTime(BeamTime.duration(maxReadTime));
    }
    try {
      return begin
          .apply("ReadKinesis", read)
          .apply("ToRawRecords", ParDo.of(new ToRawRecordFn(sourceName())))
          .setCoder(begin.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Keeps the payload and where it came from, and re-stamps the record from its arrival time to its
   * event time, by the same rule the watermark policy reads it with.
   */
  static final class ToRawRecordFn extends DoFn<KinesisRecord, RawRecord> {
    private final String source;
    private final BundleCounter read = BundleCounter.of(PipelineMetrics.RECORDS_READ);

    /** Last readable event time per shard, in this instance's processing order; a best effort. */
    private transient Map<String, Long> lastEventTime;

    ToRawRecordFn(String source) {
      this.source = source;
    }

    @Setup
    public void setup() {
      lastEventTime = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KinesisRecord record, OutputReceiver<RawRecord> out) {
      read.add(1);
      byte[] payload = ShardWatermarkPolicy.bytes(record.getData());
      String shard = record.getShardId();
      Long eventTime = EventTimes.peek(payload);
      Instant timestamp;
      if (eventTime != null) {
        lastEventTime.put(shard, eventTime);
        timestamp = new Instant(eventTime);
      } else {
        Long last = lastEventTime.get(shard);
        timestamp = last != null ? new Instant(last) : record.getApproximateArrivalTimestamp();
      }
      out.outputWithTimestamp(RawRecord.create(source, position(record), payload), timestamp);
    }

    @FinishBundle
    public void finishBundle() {
      read.flush();
    }

    /** Records are re-stamped from their arrival time to their event time, earlier or later. */
    @Override
    @SuppressWarnings("deprecation")
    public org.joda.time.Duration getAllowedTimestampSkew() {
      return org.joda.time.Duration.millis(Long.MAX_VALUE);
    }

    /** {@code shard=ID seq=N}, plus {@code subseq=M} for a record of a KPL-aggregated batch. */
    static String position(KinesisRecord record) {
      String position = "shard=" + record.getShardId() + " seq=" + record.getSequenceNumber();
      return record.getSubSequenceNumber() == 0
          ? position
          : position + " subseq=" + record.getSubSequenceNumber();
    }
  }
}
