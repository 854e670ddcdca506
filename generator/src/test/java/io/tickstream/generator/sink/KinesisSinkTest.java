package io.tickstream.generator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Batching, retry and error rules of {@link KinesisSink}, against a scripted in-memory client and a
 * sleeper that records delays instead of sleeping. {@code KinesisSinkIT} runs it against
 * kinesalite.
 */
class KinesisSinkTest {
  private static final KinesisSink.Backoff BACKOFF =
      new KinesisSink.Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 5);

  private final ScriptedKinesis kinesis = new ScriptedKinesis();
  private final List<Duration> sleeps = new ArrayList<>();
  private final KinesisSink sink =
      new KinesisSink(kinesis, "ticks", null, BACKOFF, sleeps::add, new Random(7));

  @Test
  void splitsRequestsAt500Entries() throws IOException {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 1234; i++) {
      String line = "{\"n\":" + i + "}";
      sent.add(line);
      sink.send("SYM" + (i % 7), i, line);
    }
    assertEquals(List.of(500, 500), kinesis.requestSizes(), "full batches go out from send()");
    sink.close();

    assertEquals(List.of(500, 500, 234), kinesis.requestSizes());
    assertEquals(sent, kinesis.sentLines());
    assertEquals("SYM3", kinesis.requests.get(0).get(3).partitionKey());
    assertEquals(1234, sink.stats().acknowledged());
    assertEquals(0, sink.stats().retries());
    assertTrue(kinesis.closed);
  }

  @Test
  void splitsRequestsAt5MiBOfDataPlusKeys() throws IOException {
    // 1,000,000 data bytes + 1 key byte: five fit in 5 MiB (5,242,880 bytes), six do not.
    String big = "x".repeat(1_000_000);
    for (int i = 0; i < 12; i++) {
      sink.send("K", i, big);
    }
    sink.flush();

    assertEquals(List.of(5, 5, 2), kinesis.requestSizes());
    for (List<PutRecordsRequestEntry> request : kinesis.requests) {
      long bytes =
          request.stream()
              .mapToLong(e -> e.data().asByteArray().length + e.partitionKey().length())
              .sum();
      assertTrue(bytes <= KinesisSink.MAX_BYTES_PER_REQUEST, bytes + " bytes in one request");
    }
  }

  @Test
  void refusesARecordOver1MiBNamingItsSize() throws IOException {
    String key = "AAPL";
    sink.send(key, 0, "x".repeat(KinesisSink.MAX_BYTES_PER_RECORD - key.length()));

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                sink.send(key, 0, "x".repeat(KinesisSink.MAX_BYTES_PER_RECORD - key.length() + 1)));
    assertTrue(e.getMessage().contains("1048577 bytes"), e.getMessage());
    sink.flush();
    assertEquals(List.of(1), kinesis.requestSizes(), "only the record at the limit is sent");
  }

  @Test
  void resendsRefusedEntriesInTheirOriginalOrder() throws IOException {
    kinesis.script.add(request -> refuseWhere(request, i -> i % 3 == 1));
    for (int i = 0; i < 10; i++) {
      sink.send("SYM", i, "r" + i);
    }
    sink.flush();

    assertEquals(List.of(10, 3), kinesis.requestSizes());
    assertEquals(
        List.of("r1", "r4", "r7"),
        kinesis.requests.get(1).stream().map(e -> e.data().asUtf8String()).toList());
    assertEquals(10, sink.stats().acknowledged());
    assertEquals(3, sink.stats().retries());
    assertEquals(3, sink.stats().errors());
    assertEquals(1, sleeps.size());
    assertTrue(sleeps.get(0).toMillis() <= 50, "first delay within base: " + sleeps);
  }

  @Test
  void retriesAThrottledRequestWithGrowingDelays() throws IOException {
    kinesis.script.add(request -> throwing(throttled()));
    kinesis.script.add(request -> throwing(throttled()));
    kinesis.script.add(request -> throwing(serverError()));
    for (int i = 0; i < 4; i++) {
      sink.send("SYM", i, "r" + i);
    }
    sink.flush();

    assertEquals(List.of(4, 4, 4, 4), kinesis.requestSizes());
    assertEquals(List.of("r0", "r1", "r2", "r3"), kinesis.sentLines().subList(12, 16));
    assertEquals(4, sink.stats().acknowledged());
    assertEquals(12, sink.stats().retries());
    assertEquals(12, sink.stats().errors());
    assertEquals(3, sleeps.size());
    for (int i = 0; i < sleeps.size(); i++) {
      assertTrue(sleeps.get(i).toMillis() <= 50L << i, "delay " + i + " within bound: " + sleeps);
    }
  }

  @Test
  void failsAtOnceOnAMissingStream() {
    kinesis.script.add(
        request ->
            throwing(
                error(
                    ResourceNotFoundException.builder(),
                    400,
                    "ResourceNotFoundException",
                    "Stream ticks under account 000000000000 not found.")));

    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              sink.send("SYM", 0, "r");
              sink.flush();
            });
    assertTrue(e.getMessage().contains("kinesis ticks"), e.getMessage());
    assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
    assertTrue(sleeps.isEmpty());
    assertEquals(1, sink.stats().errors());
  }

  @Test
  void failsOnAnEntryErrorThatIsNotTransient() {
    kinesis.script.add(
        request ->
            PutRecordsResponse.builder()
                .failedRecordCount(1)
                .records(
                    PutRecordsResultEntry.builder()
                        .errorCode("KMSAccessDeniedException")
                        .errorMessage("no key")
                        .build())
                .build());

    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              sink.send("SYM", 0, "r");
              sink.flush();
            });
    assertTrue(e.getMessage().contains("KMSAccessDeniedException"), e.getMessage());
  }

  @Test
  void givesUpAfterAttemptsWithoutProgress() throws IOException {
    for (int i = 0; i < 10; i++) {
      kinesis.script.add(request -> refuseWhere(request, i2 -> true));
    }
    sink.send("SYM", 0, "r");

    IOException e = assertThrows(IOException.class, sink::flush);
    assertTrue(e.getMessage().contains("gave up after 5 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("ProvisionedThroughputExceededException"), e.getMessage());
    assertEquals(5, kinesis.requests.size());
    assertEquals(4, sleeps.size());
  }

  @Test
  void backoffIsFullJitterUnderACappedExponentialBound() {
    KinesisSink.Backoff backoff =
        new KinesisSink.Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 20);
    Random random = new Random(1);
    for (int retry = 1; retry <= 70; retry++) {
      long bound = Math.min(2000, retry > 7 ? 2000 : 50L << (retry - 1));
      long max = 0;
      for (int i = 0; i < 200; i++) {
        long d = backoff.delay(retry, random).toMillis();
        assertTrue(d >= 0 && d <= bound, "retry " + retry + " delay " + d);
        max = Math.max(max, d);
      }
      assertTrue(max > bound / 2, "retry " + retry + " never came near its bound " + bound);
    }
  }

  @Test
  void classifiesErrors() {
    assertTrue(KinesisSink.isRetryable(throttled()));
    assertTrue(KinesisSink.isRetryable(serverError()));
    assertTrue(
        KinesisSink.isRetryable(
            SdkClientException.create("reset", new SocketException("Connection reset"))));
    assertFalse(
        KinesisSink.isRetryable(error(InvalidArgumentException.builder(), 400, "Invalid", "bad")));
    assertFalse(
        KinesisSink.isRetryable(
            error(AccessDeniedException.builder(), 400, "AccessDeniedException", "no")));
    assertFalse(KinesisSink.isRetryable(SdkClientException.create("no region")));
  }

  @Test
  void describesStreamAndEndpoint() {
    assertEquals("kinesis ticks", sink.describe());
    assertEquals(
        "kinesis ticks at http://127.0.0.1:4567",
        new KinesisSink(
                kinesis,
                "ticks",
                URI.create("http://127.0.0.1:4567"),
                BACKOFF,
                sleeps::add,
                new Random(1))
            .describe());
  }

  private static PutRecordsResponse refuseWhere(PutRecordsRequest request, IntPredicate refused) {
    List<PutRecordsResultEntry> results = new ArrayList<>();
    int failed = 0;
    for (int i = 0; i < request.records().size(); i++) {
      if (refused.test(i)) {
        failed++;
        results.add(
            PutRecordsResultEntry.builder()
                .errorCode("ProvisionedThroughputExceededException")
                .errorMessage("Rate exceeded for shard shardId-000000000000 in stream ticks")
                .build());
      } else {
        results.add(acknowledged(i));
      }
    }
    return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
  }

  private static PutRecordsResultEntry acknowledged(int i) {
    return PutRecordsResultEntry.builder()
        .shardId("shardId-000000000000")
        .sequenceNumber(String.valueOf(i))
        .build();
  }

  private static PutRecordsResponse throwing(RuntimeException e) {
    throw e;
  }

  private static AwsServiceException throttled() {
    return error(
        ProvisionedThroughputExceededException.builder(),
        400,
        "ProvisionedThroughputExceededException",
        "Rate exceeded");
  }

  private static AwsServiceException serverError() {
    return error(KinesisException.builder(), 503, "ServiceUnavailable", "try later");
  }

  private static AwsServiceException error(
      KinesisException.Builder builder, int status, String code, String message) {
    return builder
        .statusCode(status)
        .message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  /** Answers each PutRecords with the next scripted function, or acknowledges every entry. */
  private static final class ScriptedKinesis implements KinesisClient {
    final Deque<Function<PutRecordsRequest, PutRecordsResponse>> script = new ArrayDeque<>();
    final List<List<PutRecordsRequestEntry>> requests = new ArrayList<>();
    boolean closed;

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest request) {
      requests.add(request.records());
      Function<PutRecordsRequest, PutRecordsResponse> answer = script.poll();
      return answer != null ? answer.apply(request) : refuseWhere(request, i -> false);
    }

    List<Integer> requestSizes() {
      return requests.stream().map(List::size).toList();
    }

    List<String> sentLines() {
      return requests.stream().flatMap(List::stream).map(e -> e.data().asUtf8String()).toList();
    }

    @Override
    public String serviceName() {
      return SERVICE_NAME;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
