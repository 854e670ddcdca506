package io.tickstream.generator.sink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.InternalFailureException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes records to a Kinesis data stream with {@code PutRecords}, the partition key being the
 * record's key (the symbol).
 *
 * <p>Records are buffered and sent synchronously, from the calling thread, once a request is full:
 * at most {@value #MAX_ENTRIES_PER_REQUEST} entries and 5 MiB (data plus partition keys) per
 * request. A record over 1 MiB is refused with an {@link IOException} naming its size.
 *
 * <p>Entries Kinesis refuses for a transient reason ({@code
 * ProvisionedThroughputExceededException}, {@code InternalFailure}), and whole requests refused for
 * throttling, a 5xx or a network error, are sent again after a capped exponential backoff with full
 * jitter, in their original order, until acknowledged. Nothing else is sent meanwhile, so a key's
 * records stay in order as long as Kinesis refuses a trailing part of each shard's entries (how
 * per-shard throttling shows up); like any {@code PutRecords} producer, a refusal in the middle of
 * a key's run can reorder that key. The run fails with an {@link IOException} naming the stream and
 * the cause on a permanent error (unknown stream, validation, access denied, ...) or after {@link
 * Backoff#maxAttemptsWithoutProgress} attempts in a row in which nothing was acknowledged. The
 * SDK's own retries are off so that every retry shows in {@link #stats()}: acknowledged per entry,
 * retries per entry sent again, errors per entry per failed attempt.
 */
public final class KinesisSink implements TickSink {
  /** Kinesis's limit on entries per {@code PutRecords} request. */
  static final int MAX_ENTRIES_PER_REQUEST = 500;

  /** Kinesis's limit on one request's data plus partition keys. */
  static final long MAX_BYTES_PER_REQUEST = 5L * 1024 * 1024;

  /** Kinesis's limit on one record's data plus partition key. */
  static final int MAX_BYTES_PER_RECORD = 1024 * 1024;

  /** Entry error codes Kinesis documents as transient. */
  private static final Set<String> RETRYABLE_ENTRY_ERRORS =
      Set.of("ProvisionedThroughputExceededException", "InternalFailure");

  /**
   * Capped exponential backoff with full jitter: before retry {@code n} (1, 2, ...) the sink sleeps
   * a uniformly random time in {@code [0, min(cap, base * 2^(n-1))]}.
   *
   * @param base the upper bound of the first delay
   * @param cap the largest upper bound of any delay
   * @param maxAttemptsWithoutProgress failed attempts in a row with nothing acknowledged after
   *     which the sink gives up with an {@link IOException}
   */
  public record Backoff(Duration base, Duration cap, int maxAttemptsWithoutProgress) {
    /** 50 ms base, 2 s cap, giving up after 20 attempts in a row without progress (~20 s). */
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 20);

    public Backoff {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(cap, "cap");
      if (base.toMillis() < 1 || cap.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff needs 1 ms <= base <= cap, got base " + base + " and cap " + cap);
      }
      if (maxAttemptsWithoutProgress < 1) {
        throw new IllegalArgumentException(
            "maxAttemptsWithoutProgress must be at least 1, got " + maxAttemptsWithoutProgress);
      }
    }

    /** The delay before retry {@code retry} (1 for the first). */
    Duration delay(int retry, RandomGenerator random) {
      long baseMillis = base.toMillis();
      long bound = cap.toMillis();
      int doublings = retry - 1;
      if (doublings < 63 - (64 - Long.numberOfLeadingZeros(baseMillis))) {
        bound = Math.min(bound, baseMillis << doublings);
      }
      return Duration.ofMillis(random.nextLong(bound + 1));
    }
  }

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    /** {@link Thread#sleep}. */
    Sleeper THREAD = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  /** One buffered record and its size as Kinesis counts it. */
  private record Entry(PutRecordsRequestEntry request, int bytes) {}

  private final KinesisClient client;
  private final String streamName;
  private final @Nullable URI endpoint;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final SinkStats stats = new SinkStats();
  private final List<Entry> buffer = new ArrayList<>();
  private long bufferedBytes;
  private boolean closed;

  /**
   * A sink on the stream with AWS's default credentials chain.
   *
   * @param endpoint the service endpoint, or null for the region's own
   */
  public static KinesisSink create(String streamName, @Nullable URI endpoint, Region region) {
    return create(
        streamName, endpoint, region, DefaultCredentialsProvider.create(), Backoff.DEFAULT);
  }

  /**
   * A sink on the stream that owns a new synchronous client and closes it on {@link #close()}.
   *
   * @param endpoint the service endpoint, or null for the region's own
   */
  public static KinesisSink create(
      String streamName,
      @Nullable URI endpoint,
      Region region,
      AwsCredentialsProvider credentials,
      Backoff backoff) {
    KinesisClientBuilder builder =
        KinesisClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            // Retries are the sink's job: it retries single entries too, and counts every retry.
            .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return new KinesisSink(
        builder.build(), streamName, endpoint, backoff, Sleeper.THREAD, new Random());
  }

  /** Takes ownership of {@code client}: {@link #close()} closes it. */
  KinesisSink(
      KinesisClient client,
      String streamName,
      @Nullable URI endpoint,
      Backoff backoff,
      Sleeper sleeper,
      RandomGenerator random) {
    this.client = Objects.requireNonNull(client, "client");
    this.streamName = Objects.requireNonNull(streamName, "streamName");
    this.endpoint = endpoint;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public void send(String key, long eventTimeMillis, String line) throws IOException {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
    if (key == null || key.isEmpty() || key.length() > 256) {
      throw new IOException(
          describe() + ": a partition key must have 1 to 256 characters, got " + quoted(key));
    }
    SdkBytes data = SdkBytes.fromUtf8String(line);
    int bytes = data.asByteBuffer().remaining() + key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES_PER_RECORD) {
      throw new IOException(
          String.format(
              "%s: record for key %s is %d bytes (data + partition key), over the limit of %d",
              describe(), key, bytes, MAX_BYTES_PER_RECORD));
    }
    if (buffer.size() == MAX_ENTRIES_PER_REQUEST || bufferedBytes + bytes > MAX_BYTES_PER_REQUEST) {
      sendBuffered();
    }
    buffer.add(
        new Entry(PutRecordsRequestEntry.builder().partitionKey(key).data(data).build(), bytes));
    bufferedBytes += bytes;
    if (buffer.size() == MAX_ENTRIES_PER_REQUEST) {
      sendBuffered();
    }
  }

  @Override
  public void flush() throws IOException {
    if (!buffer.isEmpty()) {
      sendBuffered();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      flush();
    } finally {
      closed = true;
      client.close();
    }
  }

  @Override
  public SinkStats stats() {
    return stats;
  }

  @Override
  public String describe() {
    return "kinesis " + streamName + (endpoint == null ? "" : " at " + endpoint);
  }

  /** Sends the buffer as one request; it is cleared first, so a failed batch is not sent twice. */
  private void sendBuffered() throws IOException {
    List<Entry> batch = new ArrayList<>(buffer);
    buffer.clear();
    bufferedBytes = 0;
    putUntilAcknowledged(batch);
  }

  private void putUntilAcknowledged(List<Entry> batch) throws IOException {
    List<Entry> pending = batch;
    int retry = 0;
    int attemptsWithoutProgress = 0;
    while (true) {
      String failure;
      List<Entry> failed;
      try {
        PutRecordsResponse response = client.putRecords(request(pending));
        failed = failedEntries(pending, response);
        if (failed.isEmpty()) {
          return;
        }
        PutRecordsResultEntry first =
            response.records().stream().filter(r -> r.errorCode() != null).findFirst().get();
        failure =
            failed.size()
                + " of "
                + pending.size()
                + " entries refused, e.g. "
                + first.errorCode()
                + ": "
                + first.errorMessage();
        attemptsWithoutProgress = failed.size() < pending.size() ? 0 : attemptsWithoutProgress + 1;
      } catch (SdkException e) {
        stats.addErrors(pending.size());
        if (!isRetryable(e)) {
          throw new IOException(describe() + ": PutRecords failed: " + reason(e), e);
        }
        failed = pending;
        failure = "PutRecords failed: " + reason(e);
        attemptsWithoutProgress++;
      }
      if (attemptsWithoutProgress >= backoff.maxAttemptsWithoutProgress()) {
        throw new IOException(
            String.format(
                "%s: gave up after %d attempts in a row without progress, %d records unsent; last:"
                    + " %s",
                describe(), attemptsWithoutProgress, failed.size(), failure));
      }
      try {
        sleeper.sleep(backoff.delay(++retry, random));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            describe() + ": interrupted with " + failed.size() + " records unsent");
      }
      stats.addRetries(failed.size());
      pending = failed;
    }
  }

  private PutRecordsRequest request(List<Entry> entries) {
    List<PutRecordsRequestEntry> records = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      records.add(e.request());
    }
    return PutRecordsRequest.builder().streamName(streamName).records(records).build();
  }

  /**
   * Counts the response and returns the entries to send again, in their original order; throws on
   * an entry error that is not transient.
   */
  private List<Entry> failedEntries(List<Entry> sent, PutRecordsResponse response)
      throws IOException {
    List<PutRecordsResultEntry> results = response.records();
    if (results.size() != sent.size()) {
      stats.addErrors(sent.size());
      throw new IOException(
          String.format(
              "%s: PutRecords answered %d results for %d entries",
              describe(), results.size(), sent.size()));
    }
    List<Entry> failed = new ArrayList<>();
    PutRecordsResultEntry permanent = null;
    for (int i = 0; i < results.size(); i++) {
      PutRecordsResultEntry result = results.get(i);
      if (result.errorCode() == null) {
        continue;
      }
      failed.add(sent.get(i));
      if (permanent == null && !RETRYABLE_ENTRY_ERRORS.contains(result.errorCode())) {
        permanent = result;
      }
    }
    stats.addAcknowledged(sent.size() - failed.size());
    stats.addErrors(failed.size());
    if (permanent != null) {
      throw new IOException(
          String.format(
              "%s: PutRecords refused %d of %d entries, e.g. %s: %s",
              describe(),
              failed.size(),
              sent.size(),
              permanent.errorCode(),
              permanent.errorMessage()));
    }
    return failed;
  }

  /** Throttling, 5xx and network errors are transient; unknown stream, validation etc. are not. */
  static boolean isRetryable(SdkException e) {
    if (e instanceof ProvisionedThroughputExceededException
        || e instanceof LimitExceededException
        || e instanceof KmsThrottlingException
        || e instanceof InternalFailureException) {
      return true;
    }
    if (e instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) e;
      return service.isThrottlingException() || service.statusCode() >= 500;
    }
    if (e instanceof SdkClientException) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof IOException) {
          return true;
        }
      }
    }
    return false;
  }

  private static String reason(SdkException e) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      AwsServiceException service = (AwsServiceException) e;
      return service.awsErrorDetails().errorCode()
          + " (HTTP "
          + service.statusCode()
          + "): "
          + service.awsErrorDetails().errorMessage();
    }
    return e.toString();
  }

  private static String quoted(@Nullable String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
