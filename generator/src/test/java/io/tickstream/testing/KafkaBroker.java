package io.tickstream.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka 3.9 broker in this JVM, in KRaft mode (one process that is both broker
 * and controller), for integration tests.
 *
 * <p>Both listeners ({@code PLAINTEXT} for clients, {@code CONTROLLER} for the quorum) bind
 * 127.0.0.1 on free ports chosen at start, so tests can run side by side. The log directory is a
 * fresh temporary directory, deleted by {@link #close()}. Replication factors and minimum ISR are
 * 1, and consumer groups start without the initial rebalance delay. Automatic topic creation is on
 * (with {@code num.partitions} partitions), but tests should call {@link #createTopic} so the
 * partition count is explicit.
 *
 * <p>{@link #start} returns once the broker answers an admin request, which takes 2-4 s. Typical
 * use:
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *   broker.createTopic("ticks", 3);
 *   ... produce to broker.bootstrapServers() ...
 *   List<ConsumerRecord<String, String>> got =
 *       broker.consumeAll("ticks", 100, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Shared with the pipelines module's tests through generator's test-jar; it depends on {@code
 * org.apache.kafka:kafka_2.13} on the test classpath.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Path logDir;
  private final String bootstrapServers;
  private final Properties props;
  private KafkaRaftServer server;
  private Admin admin;
  private boolean closed;

  private KafkaBroker(
      Path logDir, String bootstrapServers, Properties props, KafkaRaftServer server) {
    this.logDir = logDir;
    this.bootstrapServers = bootstrapServers;
    this.props = props;
    this.server = server;
  }

  /** Starts a broker whose automatically created topics have one partition. */
  public static KafkaBroker start() {
    return start(1);
  }

  /**
   * Starts a broker and waits until it serves clients.
   *
   * @param numPartitions {@code num.partitions}: partitions of automatically created topics
   */
  public static KafkaBroker start(int numPartitions) {
    Path logDir;
    try {
      logDir = Files.createTempDirectory("kafka-broker-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's log directory", e);
    }
    KafkaBroker broker = null;
    try {
      int port = freePort();
      int controllerPort = freePort();
      Properties props = brokerProperties(logDir, port, controllerPort, numPartitions);
      format(logDir);
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      broker = new KafkaBroker(logDir, HOST + ":" + port, props, server);
      server.startup();
      broker.admin = Admin.create(adminProperties(broker.bootstrapServers));
      broker.awaitReady();
      return broker;
    } catch (RuntimeException | Error e) {
      closeAfterFailedStart(broker, logDir, e);
      throw e;
    } catch (Exception e) {
      closeAfterFailedStart(broker, logDir, e);
      throw new IllegalStateException("Kafka broker did not start: " + e, e);
    }
  }

  /**
   * Shuts the broker down cleanly and starts it again on the same ports and log directory, as a
   * rolling restart would; returns once it serves clients again. Clients see connection errors
   * meanwhile and retry.
   *
   * @param down how long the broker stays down
   */
  public void restart(Duration down) throws InterruptedException {
    server.shutdown();
    server.awaitShutdown();
    Thread.sleep(down.toMillis());
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    awaitReady();
  }

  /** {@code 127.0.0.1:PORT} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's log directory (deleted by {@link #close()}). */
  public Path logDir() {
    return logDir;
  }

  /** Creates a topic with replication factor 1 and returns once the broker has created it. */
  public void createTopic(String name, int partitions) {
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      // The create call returns when the controller has committed the topic; wait until this
      // broker's metadata has every partition with a leader so the first produce does not race it.
      // Each probe is a request to the broker, which paces the loop.
      long deadline = System.nanoTime() + ADMIN_CALL_TIMEOUT.toNanos();
      while (!hasLeaders(name, partitions)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "topic " + name + " has no leader for every partition after " + ADMIN_CALL_TIMEOUT);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
    }
  }

  /**
   * Whether consumer group {@code group} has committed, for every partition of {@code topic}, the
   * partition's end offset: it has consumed (and, for a committing reader, checkpointed) it all.
   */
  public boolean groupCaughtUp(String group, String topic) {
    Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
    Map<TopicPartition, OffsetSpec> latest =
        await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
            .get(topic)
            .partitions()
            .stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    for (var end : await(admin.listOffsets(latest).all(), "end offsets of " + topic).entrySet()) {
      OffsetAndMetadata at = committed.get(end.getKey());
      if (at == null || at.offset() < end.getValue().offset()) {
        return false;
      }
    }
    return true;
  }

  /** The sum of the offsets consumer group {@code group} has committed for {@code topic}. */
  public long committedOffsets(String group, String topic) {
    return committed(group).entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
    return await(
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
        "offsets of group " + group);
  }

  /** An admin call's result, within the admin call timeout. */
  private static <T> T await(KafkaFuture<T> call, String what) {
    try {
      return call.get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read " + what + ": " + e, e);
    }
  }

  /**
   * Reads {@code topic} from the earliest offset of every partition, without a consumer group.
   *
   * <p>Polls until at least {@code expectedCount} records have arrived and every partition has been
   * read to its end, or until {@code timeout}. Reading to the end means records beyond the expected
   * count (duplicates, strays) are returned too. Returns whatever it got, in partition-then-offset
   * order per partition as polled; the caller asserts on it.
   */
  public List<ConsumerRecord<String, String>> consumeAll(
      String topic, int expectedCount, Duration timeout) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            consumerProperties(bootstrapServers),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return records;
        }
        for (ConsumerRecord<String, String> r :
            consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())))) {
          records.add(r);
        }
        if (records.size() >= expectedCount && atEnd(consumer, partitions)) {
          return records;
        }
      }
    }
  }

  /** Stops the broker and deletes its log directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
      }
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteRecursively(logDir);
    }
  }

  private static Properties brokerProperties(
      Path logDir, int port, int controllerPort, int numPartitions) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", Integer.toString(numPartitions));
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    return p;
  }

  private static void format(Path logDir) throws Exception {
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .addDirectory(logDir.toString())
        .setMetadataLogDirectory(logDir.toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
  }

  private static Map<String, Object> adminProperties(String bootstrapServers) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) ADMIN_CALL_TIMEOUT.toMillis(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        5_000);
  }

  private static Map<String, Object> consumerProperties(String bootstrapServers) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        5_000);
  }

  /**
   * Probes with describeCluster until the broker lists itself, within {@link #READY_TIMEOUT}. Each
   * probe is a request the broker answers, so the loop needs no sleep.
   */
  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        var nodes =
            admin
                .describeCluster()
                .nodes()
                .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (nodes.stream().map(Node::id).anyMatch(id -> id == NODE_ID)) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        // The admin client has already retried with backoff within its own timeout.
        last = e;
      }
    }
    throw new IllegalStateException(
        "Kafka broker at " + bootstrapServers + " not ready after " + READY_TIMEOUT, last);
  }

  private boolean hasLeaders(String topic, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    TopicDescription description;
    try {
      description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        // The controller has committed the topic but this broker has not applied it yet.
        return false;
      }
      throw e;
    }
    return description.partitions().size() == partitions
        && description.partitions().stream().allMatch(p -> p.leader() != null);
  }

  private static boolean atEnd(KafkaConsumer<String, String> consumer, List<TopicPartition> tps) {
    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
    return tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
  }

  /** A port that was free on 127.0.0.1 a moment ago (the broker binds it shortly after). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void closeAfterFailedStart(KafkaBroker broker, Path logDir, Throwable failure) {
    try {
      if (broker != null) {
        broker.close();
      } else {
        deleteRecursively(logDir);
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
