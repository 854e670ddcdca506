package io.tickstream.pipeline.io;

import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.time.WallClock;
import java.net.URI;
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
import org.joda.time.Duration;
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
public final class ReadKinesisTicks extends PTransform<PBegin, PCollection<RawRecord>> {
  /** The default of {@code --max-out-of-orderness}, as for Kafka. */
  public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS =
      ReadKafkaTicks.DEFAULT_MAX_OUT_OF_ORDERNESS;

  /** The default of {@code --idle-timeout}, as for Kafka. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = ReadKafkaTicks.DEFAULT_IDLE_TIMEOUT;

  /** The SDK v2 switch for CBOR; SDK v1's {@code AWS_CBOR_DISABLE} does nothing here. */
  static final String CBOR_PROPERTY = "aws.cborEnabled";

  private final String streamName;
  private final Duration maxOutOfOrderness;
  private final Duration idleTimeout;
  private final ClientConfiguration client;
  private final InitialPositionInStream initialPosition;
  private final long maxNumRecords;
  private final @Nullable Duration maxReadTime;
  private final boolean endWhenIdle;

  private ReadKinesisTicks(
      String streamName,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      ClientConfiguration client,
      InitialPositionInStream initialPosition,
      long maxNumRecords,
      @Nullable Duration maxReadTime,
      boolean endWhenIdle) {
    this.streamName = streamName;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleTimeout = idleTimeout;
    this.client = client;
    this.initialPosition = initialPosition;
    this.maxNumRecords = maxNumRecords;
    this.maxReadTime = maxReadTime;
    this.endWhenIdle = endWhenIdle;
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
    return new ReadKinesisTicks(
        streamName,
        maxOutOfOrderness,
        idleTimeout,
        ClientConfiguration.builder().build(),
        InitialPositionInStream.TRIM_HORIZON,
        Long.MAX_VALUE,
        null,
        false);
  }

  /** The service endpoint (e.g. kinesalite's); null for the region's own. */
  public ReadKinesisTicks withEndpoint(@Nullable URI endpoint) {
    return withClient(client.toBuilder().endpoint(endpoint).build());
  }

  /** The region; unset, {@code --awsRegion} or the SDK's region chain. */
  public ReadKinesisTicks withRegion(Region region) {
    return withClient(client.toBuilder().region(Objects.requireNonNull(region, "region")).build());
  }

  /**
   * The credentials (one the SDK's JSON form for Beam options can carry, such as static or
   * default); unset, {@code --awsCredentialsProvider} or the SDK's default chain.
   */
  public ReadKinesisTicks withCredentialsProvider(AwsCredentialsProvider credentials) {
    return withClient(
        client.toBuilder()
            .credentialsProvider(Objects.requireNonNull(credentials, "credentials"))
            .build());
  }

  /** Where to start in each shard without a checkpoint: TRIM_HORIZON (default) or LATEST. */
  public ReadKinesisTicks withInitialPosition(InitialPositionInStream position) {
    Objects.requireNonNull(position, "position");
    if (position == InitialPositionInStream.AT_TIMESTAMP) {
      throw new IllegalArgumentException(
          "AT_TIMESTAMP needs a timestamp; KinesisIO takes it with withInitialTimestampInStream,"
              + " which this transform does not offer");
    }
    return new ReadKinesisTicks(
        streamName,
        maxOutOfOrderness,
        idleTimeout,
        client,
        position,
        maxNumRecords,
        maxReadTime,
        endWhenIdle);
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
    BoundedOutOfOrdernessWatermark.checkMaxNumRecords(maxNumRecords, endWhenIdle);
    return new ReadKinesisTicks(
        streamName,
        maxOutOfOrderness,
        idleTimeout,
        client,
        initialPosition,
        maxNumRecords,
        maxReadTime,
        endWhenIdle);
  }

  /**
   * Stops each split after reading for this long, making the output bounded; see {@link
   * #withMaxNumRecords} on event time in bounded reads.
   */
  public ReadKinesisTicks withMaxReadTime(Duration maxReadTime) {
    BoundedOutOfOrdernessWatermark.checkMaxReadTime(maxReadTime, endWhenIdle);
    return new ReadKinesisTicks(
        streamName,
        maxOutOfOrderness,
        idleTimeout,
        client,
        initialPosition,
        maxNumRecords,
        maxReadTime,
        endWhenIdle);
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
    BoundedOutOfOrdernessWatermark.checkEndWhenIdle(maxNumRecords, maxReadTime);
    return new ReadKinesisTicks(
        streamName,
        maxOutOfOrderness,
        idleTimeout,
        client,
        initialPosition,
        maxNumRecords,
        maxReadTime,
        true);
  }

  /** The {@code source} of this transform's records: {@code kinesis:STREAM}. */
  public String sourceName() {
    return "kinesis:" + streamName;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    if (System.getProperty(CBOR_PROPERTY) == null) {
      System.setProperty(CBOR_PROPERTY, "false");
    }
    KinesisIO.Read read =
        KinesisIO.read()
            .withStreamName(streamName)
            .withInitialPositionInStream(initialPosition)
            .withClientConfiguration(client)
            .withCustomWatermarkPolicy(
                ShardWatermarkPolicy.factory(
                    maxOutOfOrderness, idleTimeout, endWhenIdle, WallClock.SYSTEM));
    if (maxNumRecords != Long.MAX_VALUE) {
      read = read.withMaxNumRecords(maxNumRecords);
    }
    if (maxReadTime != null) {
      read = read.withMaxReadTime(maxReadTime);
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

  private ReadKinesisTicks withClient(ClientConfiguration newClient) {
    return new ReadKinesisTicks(
        streamName,
        maxOutOfOrderness,
        idleTimeout,
        newClient,
        initialPosition,
        maxNumRecords,
        maxReadTime,
        endWhenIdle);
  }

  /**
   * Keeps the payload and where it came from, and re-stamps the record from its arrival time to its
   * event time, by the same rule the watermark policy reads it with.
   */
  static final class ToRawRecordFn extends DoFn<KinesisRecord, RawRecord> {
    private final String source;

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

    /** Records are re-stamped from their arrival time to their event time, earlier or later. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
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
