package io.tickstream.testing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;

/**
 * A kinesalite server (a local Kinesis stand-in) in a child {@code node} process on 127.0.0.1, for
 * integration tests of anything that reads or writes Kinesis.
 *
 * <p>The server is {@code kinesalite-server.js} beside the {@code node_modules} directory named by
 * the system property {@value #TEST_SERVERS_PROPERTY}; the build installs both into {@code
 * target/test-servers} before the integration tests ({@code test-servers/install.sh}), and the
 * parent pom's failsafe configuration passes the property, {@value #NODE_PROPERTY} (the node
 * executable) and {@code aws.cborEnabled=false}. kinesalite speaks JSON only, so this class sets
 * {@code aws.cborEnabled=false} itself when it is unset and refuses to start when it is true.
 *
 * <p>kinesalite has no throttling; {@link #startWithWriteLimit} adds Kinesis's per-shard write
 * limit in front of it (see {@code kinesalite-server.js}). Streams are created and become ACTIVE at
 * once. Clients reach it with {@link #endpoint()}, {@link #REGION} and {@link #CREDENTIALS}. {@link
 * #close()} kills the server and everything it holds is gone.
 */
public final class Kinesalite implements AutoCloseable {
  /** The {@code node_modules} directory holding kinesalite; its parent holds the server script. */
  public static final String TEST_SERVERS_PROPERTY = NodeServer.TEST_SERVERS_PROPERTY;

  /** The node executable; {@code node} from the PATH when unset. */
  public static final String NODE_PROPERTY = NodeServer.NODE_PROPERTY;

  /** Any region works; kinesalite only needs a signed request. */
  public static final Region REGION = Region.US_EAST_1;

  /** Any credentials work; kinesalite does not check signatures. */
  public static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private static final String CBOR_PROPERTY = "aws.cborEnabled";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private final NodeServer server;
  private @Nullable KinesisClient client;

  private Kinesalite(NodeServer server) {
    this.server = server;
  }

  /** Starts a kinesalite that, like kinesalite, never throttles. */
  public static Kinesalite start() throws IOException {
    return start(Map.of());
  }

  /**
   * Starts a kinesalite that refuses writes over {@code recordsPerSecondPerShard} records (and 1
   * MiB) per second per shard as Kinesis does: refused PutRecords entries carry {@code
   * ProvisionedThroughputExceededException}.
   */
  public static Kinesalite startWithWriteLimit(int recordsPerSecondPerShard) throws IOException {
    if (recordsPerSecondPerShard < 1) {
      throw new IllegalArgumentException(
          "recordsPerSecondPerShard must be positive, got " + recordsPerSecondPerShard);
    }
    return start(
        Map.of("KINESALITE_WRITE_LIMIT_RECORDS_PER_SEC", String.valueOf(recordsPerSecondPerShard)));
  }

  /**
   * Starts kinesalite with extra environment variables for {@code kinesalite-server.js}, e.g.
   * {@code KINESALITE_SHARD_LIMIT} or {@code KINESALITE_WRITE_LIMIT_RECORDS_PER_SEC}.
   */
  public static Kinesalite start(Map<String, String> environment) throws IOException {
    requireJsonProtocol();
    return new Kinesalite(
        NodeServer.start("kinesalite", "kinesalite-server.js", List.of(), environment));
  }

  /** Where clients connect, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** A synchronous client for this server, shared by callers and closed by {@link #close()}. */
  public synchronized KinesisClient client() {
    if (client == null) {
      client =
          KinesisClient.builder()
              .endpointOverride(endpoint())
              .region(REGION)
              .credentialsProvider(CREDENTIALS)
              .httpClientBuilder(ApacheHttpClient.builder())
              .build();
    }
    return client;
  }

  /** Creates a stream and returns once it is ACTIVE. */
  public void createStream(String name, int shards) {
    client().createStream(b -> b.streamName(name).shardCount(shards));
    try (KinesisWaiter waiter = client().waiter()) {
      WaiterResponse<DescribeStreamResponse> response =
          waiter.waitUntilStreamExists(
              b -> b.streamName(name),
              o ->
                  o.backoffStrategy(FixedDelayBackoffStrategy.create(POLL_INTERVAL))
                      .maxAttempts(500));
      response
          .matched()
          .exception()
          .ifPresent(
              e -> {
                throw new IllegalStateException("stream " + name + " did not become ACTIVE", e);
              });
    }
  }

  /**
   * Reads every record of every shard of {@code stream} from TRIM_HORIZON: shard by shard, each in
   * sequence order. Returns once at least {@code expectedCount} records are read and every shard is
   * read to its end (so duplicates beyond the expected count show), or when {@code timeout} has
   * passed, with what was read by then.
   */
  public List<Record> readAll(String stream, int expectedCount, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Shard> shards = listShards(stream);
    List<String> iterators = new ArrayList<>();
    List<List<Record>> perShard = new ArrayList<>();
    for (Shard shard : shards) {
      iterators.add(
          client()
              .getShardIterator(
                  b ->
                      b.streamName(stream)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator());
      perShard.add(new ArrayList<>());
    }
    while (true) {
      int total = 0;
      for (int i = 0; i < shards.size(); i++) {
        // Read the shard up to its current end: GetRecords answers no records once caught up.
        while (iterators.get(i) != null) {
          String iterator = iterators.get(i);
          GetRecordsResponse response = client().getRecords(b -> b.shardIterator(iterator));
          perShard.get(i).addAll(response.records());
          iterators.set(i, response.nextShardIterator());
          if (response.records().isEmpty()) {
            break;
          }
        }
        total += perShard.get(i).size();
      }
      if (total >= expectedCount || System.nanoTime() > deadline) {
        List<Record> all = new ArrayList<>(total);
        perShard.forEach(all::addAll);
        return all;
      }
      pause(POLL_INTERVAL);
    }
  }

  /** Kills the server process and its children and closes {@link #client()}. */
  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    server.close();
  }

  private List<Shard> listShards(String stream) {
    List<Shard> shards = new ArrayList<>();
    ListShardsResponse page = client().listShards(b -> b.streamName(stream));
    shards.addAll(page.shards());
    while (page.nextToken() != null) {
      String token = page.nextToken();
      page = client().listShards(b -> b.nextToken(token));
      shards.addAll(page.shards());
    }
    return shards;
  }

  private static void requireJsonProtocol() {
    String cbor = System.getProperty(CBOR_PROPERTY);
    if (cbor == null) {
      // kinesalite answers CBOR requests with numbers where the SDK expects dates.
      System.setProperty(CBOR_PROPERTY, "false");
    } else if (!cbor.equalsIgnoreCase("false")) {
      throw new IllegalStateException(
          "kinesalite needs the JSON protocol, but -D" + CBOR_PROPERTY + "=" + cbor);
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling kinesalite", e);
    }
  }
}
