package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickstream.pipeline.PipelineLake;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.testing.FlinkSessionCluster;
import io.tickstream.testing.KafkaBroker;
import io.tickstream.tick.Tick;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery guarantee under failure, with real processes: the job jar on a session cluster of a
 * JobManager and three one-slot TaskManagers (the job uses two; the third is the spare a lost
 * machine's work moves to), reading a real Kafka broker, checkpointing every second into RocksDB.
 * The seeded faulty stream goes into the job's topic in parts around each failure, so the job is
 * always stopped mid-stream, with records read and checkpointed before it and records still to
 * come: a TaskManager killed with SIGKILL; separately, a cancel without savepoint and a
 * resubmission from the last retained checkpoint, with a broker restart while the resumed job
 * runs. Once its consumer group has committed the whole topic, each job is drained with SIGTERM,
 * and its lake must equal, dataset for dataset, that of an uninterrupted run over the same records
 * (embedded Flink, from a topic holding them all): every tick exactly once, the same bars,
 * signals, positions, trades and dead letters, and nothing the stopped attempts staged left
 * behind.
 */
class FlinkRecoveryIT {
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  /** The stream's generator flags: PipelineLake's seeded faulty stream. */
  private static final List<String> STREAM =
      List.of(
          "--symbols=5",
          "--seed=41",
          "--start=2025-03-04T23:15:00Z",
          "--duration=90m",
          "--bad-rate=0.01",
          "--dup-rate=0.02",
          "--max-disorder=20s",
          "--late-rate=0.004",
          "--late-by=3m");

  private static final List<String> STRATEGY =
      List.of(
          "--max-out-of-orderness=30s",
          "--fast=" + PipelineLake.STRATEGY.fast(),
          "--slow=" + PipelineLake.STRATEGY.slow(),
          "--notional=10000",
          "--fee-bps=5");

  @TempDir static Path shared;

  private static final Pattern JOB_LINE =
      Pattern.compile("job ([0-9a-f]{32}) running on the cluster");

  private static KafkaBroker broker;
  private static FlinkSessionCluster cluster;
  private static Path reference;

  /** The stream as the reference topic holds it, partition by partition. */
  private static List<ConsumerRecord<String, String>> records;

  private final List<Process> clients = new ArrayList<>();

  @TempDir Path tmp;

  @BeforeAll
  static void startBrokerClusterAndTheUninterruptedRun() throws Exception {
    broker = KafkaBroker.start();
    cluster =
        FlinkSessionCluster.start(
            3,
            1,
            Map.of(
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "10",
                "restart-strategy.fixed-delay.delay", "1 s"));
    broker.createTopic("reference", 2);
    StringWriter produced = new StringWriter();
    List<String> generate =
        new ArrayList<>(
            List.of(
                "generate",
                "--sink=kafka:" + broker.bootstrapServers() + "/reference",
                "--speed=max"));
    generate.addAll(STREAM);
    assertEquals(
        0, cli(produced).execute(generate.toArray(new String[0])), produced.toString());
    records = broker.consumeAll("reference", 1, Duration.ofSeconds(60));
    reference = shared.resolve("reference");
    // The uninterrupted run: embedded Flink in this JVM, over the whole topic.
    List<String> args = new ArrayList<>(List.of("stream"));
    args.addAll(source("reference", "reference"));
    args.addAll(STRATEGY);
    args.add("--lake=" + reference);
    StringWriter err = new StringWriter();
    int code = cli(err).execute(args.toArray(new String[0]));
    assertEquals(0, code, err.toString());
  }

  @AfterEach
  void stopClients() {
    clients.forEach(Process::destroyForcibly);
  }

  @AfterAll
  static void stopAll() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aTaskManagerKilledMidStreamLosesNothingAndDoublesNothing() throws Exception {
    String topic = "kill";
    broker.createTopic(topic, 2);
    Path lake = tmp.resolve("lake");
    Process client = submit("client", job(topic, lake));
    String jobId = awaitRunningJob(client, "client");
    send(topic, 0, records.size() / 2);
    awaitCommitted(topic, jobId);
    cluster.killTaskManager(busyTaskManager(jobId));
    send(topic, records.size() / 2, records.size());

    drainOnceCaughtUp(client, "client", topic);
    assertEquals("FINISHED", cluster.rest("/jobs/" + jobId).path("state").asText());
    JsonNode failures = cluster.rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory");
    assertTrue(
        failures.path("entries").size() > 0, "the job failed over and restarted: " + failures);
    assertSameLake(lake, false);
  }

  @Test
  void aCancelledJobResumesFromItsLastRetainedCheckpointThroughABrokerRestart() throws Exception {
    String topic = "cancel";
    broker.createTopic(topic, 2);
    Path lake = tmp.resolve("lake");
    int third = records.size() / 3;
    Process first = submit("first", job(topic, lake));
    String firstId = awaitRunningJob(first, "first");
    send(topic, 0, third);
    awaitCommitted(topic, firstId);
    cluster.cancel(firstId);
    assertEquals(0, awaitExit(first, false), JobJarClient.err(tmp, "first"));
    assertEquals("CANCELED", cluster.rest("/jobs/" + firstId).path("state").asText());
    assertTrue(
        JobJarClient.err(tmp, "first")
            .contains("stopped by          a cancel on the cluster (Flink's REST API, web UI or"),
        "the client summarises the cancel: " + JobJarClient.err(tmp, "first"));
    Path retained = lastCheckpoint(tmp.resolve("checkpoints").resolve(firstId));
    send(topic, third, 2 * third);

    List<String> resume = new ArrayList<>(job(topic, lake));
    resume.add("--savepointPath=" + retained.toUri());
    Process second = submit("second", resume);
    String secondId = awaitRunningJob(second, "second");
    awaitCheckpoints(secondId, 1);
    broker.restart(Duration.ofSeconds(2));
    send(topic, 2 * third, records.size());

    drainOnceCaughtUp(second, "second", topic);
    assertSameLake(lake, true);
  }

  /** The job's flags: the topic from its start (a group of its own), retained checkpoints. */
  private List<String> job(String topic, Path lake) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--parallelism=2",
                "--checkpointingInterval=1000",
                "--stateBackend=rocksdb",
                "--stateBackendStoragePath=file://" + tmp.resolve("checkpoints"),
                "--externalizedCheckpointsEnabled=true",
                "--retainExternalizedCheckpointsOnCancellation=true",
                "--source=kafka:" + broker.bootstrapServers() + "/" + topic,
                "--kafka-group=" + topic));
    args.addAll(STRATEGY);
    args.add("--lake=" + lake);
    return args;
  }

  /**
   * Once the job's consumer group has committed the end of every partition (offsets are committed
   * with completed checkpoints only), stops the client as a user would, with SIGTERM: the job is
   * drained, every window written.
   */
  private void drainOnceCaughtUp(Process client, String name, String topic) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!broker.groupCaughtUp(topic, topic)) {
      assertTrue(client.isAlive(), JobJarClient.err(tmp, name));
      assertTrue(System.nanoTime() < deadline, "the job did not read the topic in " + PATIENCE);
      client.waitFor(200, TimeUnit.MILLISECONDS);
    }
    client.destroy();
    assertEquals(0, awaitExit(client, true), JobJarClient.err(tmp, name));
    assertTrue(
        JobJarClient.err(tmp, name).contains("stopped by          SIGTERM: drained"),
        JobJarClient.err(tmp, name));
  }

  /** The reference's source: the whole topic, ending once it is idle. */
  private static List<String> source(String topic, String group) {
    return List.of(
        "--source=kafka:" + broker.bootstrapServers() + "/" + topic,
        "--kafka-group=" + group,
        "--stop-when-idle",
        "--idle-timeout=5s");
  }

  /**
   * Sends records {@code [from, to)} of the stream to {@code topic}, each to the partition and
   * with the key it has in the reference topic, in order.
   */
  private static void send(String topic, int from, int to) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (ConsumerRecord<String, String> r : records.subList(from, to)) {
        producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
      }
      producer.flush();
    }
  }

  private Process submit(String name, List<String> args) throws IOException {
    Process client = JobJarClient.stream(cluster, tmp, name, args);
    clients.add(client);
    return client;
  }

  private static picocli.CommandLine cli(StringWriter err) {
    picocli.CommandLine cl = Tickstream.commandLine(Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter()));
    return cl;
  }

  /** The id of the client's job, once every task of it runs (its first checkpoint completed). */
  private String awaitRunningJob(Process client, String name) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(client.isAlive(), "the client exited: " + JobJarClient.err(tmp, name));
      Matcher job = JOB_LINE.matcher(JobJarClient.err(tmp, name));
      if (job.find()) {
        awaitCheckpoints(job.group(1), 1);
        return job.group(1);
      }
      client.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("the job did not run within " + PATIENCE);
  }

  /**
   * Waits until the job has read records from the topic and checkpointed them: its group has
   * committed offsets (the job commits only with completed checkpoints), then one more checkpoint.
   */
  private void awaitCommitted(String topic, String jobId) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (broker.committedOffsets(topic, topic) == 0) {
      assertTrue(System.nanoTime() < deadline, "nothing committed in " + PATIENCE);
      TimeUnit.MILLISECONDS.sleep(200);
    }
    JsonNode counts = cluster.rest("/jobs/" + jobId + "/checkpoints").path("counts");
    awaitCheckpoints(jobId, counts.path("completed").asInt() + 1);
  }

  private void awaitCheckpoints(String jobId, int completed) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode counts = null;
    while (System.nanoTime() < deadline) {
      counts = cluster.rest("/jobs/" + jobId + "/checkpoints").path("counts");
      if (counts.path("completed").asInt() >= completed) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(completed + " checkpoints did not complete: " + counts);
  }

  /** The index of a TaskManager that runs tasks of the job. */
  private int busyTaskManager(String jobId) throws Exception {
    Set<String> busy = new HashSet<>();
    for (JsonNode vertex : cluster.rest("/jobs/" + jobId).path("vertices")) {
      String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers";
      cluster
          .rest(path)
          .path("taskmanagers")
          .forEach(tm -> busy.add(tm.path("taskmanager-id").asText()));
    }
    String first = busy.stream().sorted().findFirst().orElseThrow();
    assertTrue(first.startsWith("taskmanager-"), busy.toString());
    return Integer.parseInt(first.substring("taskmanager-".length()));
  }

  /** The client's exit code; the cluster's logs are kept when it is not what was expected. */
  private int awaitExit(Process client, boolean expectSuccess) throws Exception {
    if (!client.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      client.destroyForcibly();
      cluster.keepLogs();
      throw new AssertionError("the client did not exit in " + PATIENCE);
    }
    if (expectSuccess && client.exitValue() != 0) {
      cluster.keepLogs();
    }
    return client.exitValue();
  }

  /** The newest {@code chk-N} directory holding a complete checkpoint. */
  private static Path lastCheckpoint(Path jobCheckpoints) throws IOException {
    try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
          .filter(d -> Files.exists(d.resolve("_metadata")))
          .max(Comparator.comparingInt(d -> checkpointNumber(d)))
          .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobCheckpoints));
    }
  }

  /** Where each dead letter's record was read: its partition and offset, once each. */
  private static Set<String> positions(List<DeadLetter> deadLetters) {
    return deadLetters.stream().map(DeadLetter::getPosition).collect(Collectors.toSet());
  }

  /**
   * How a dataset differs from the uninterrupted run's: the row counts, then a few rows only the
   * uninterrupted run has and a few only this one has.
   */
  private static String difference(String dataset, List<?> want, List<?> got) {
    Map<Object, Integer> unmatched = new HashMap<>();
    want.forEach(row -> unmatched.merge(row, 1, Integer::sum));
    List<Object> extra = new ArrayList<>();
    for (Object row : got) {
      if (unmatched.merge(row, -1, Integer::sum) < 0) {
        unmatched.merge(row, 1, Integer::sum);
        extra.add(row);
      }
    }
    List<Object> missing = new ArrayList<>();
    unmatched.forEach((row, n) -> missing.addAll(Collections.nCopies(n, row)));
    return dataset
        + " as uninterrupted: "
        + got.size()
        + " rows for "
        + want.size()
        + "; missing "
        + missing.size()
        + " "
        + missing.subList(0, Math.min(3, missing.size()))
        + "; extra "
        + extra.size()
        + " "
        + extra.subList(0, Math.min(3, extra.size()))
        + (missing.isEmpty() && extra.isEmpty() ? " (the same rows in another order)" : "");
  }

  private static int checkpointNumber(Path chk) {
    return Integer.parseInt(chk.getFileName().toString().substring("chk-".length()));
  }

  /**
   * The lake equals the uninterrupted run's. A new job started from a retained checkpoint reads
   * each partition twice on Beam 2.62 (beam#31313: the restored split and a new one): the ticks,
   * deduplicated by event id, and all that is computed from them are still exact; dead letters,
   * which are not deduplicated, are then the same records, some twice.
   */
  private static void assertSameLake(Path lake, boolean resumedFromCheckpoint) throws Exception {
    try (LakeReader got = LakeReader.local(lake);
        LakeReader expected = LakeReader.local(reference)) {
      List<Tick> ticks = got.records(Dataset.TICKS);
      assertEquals(
          ticks.size(),
          ticks.stream().map(Tick::getEventId).distinct().count(),
          "every tick once");
      for (Dataset<?> dataset :
          List.of(
              Dataset.TICKS, Dataset.BARS_1M, Dataset.SIGNALS, Dataset.POSITIONS, Dataset.TRADES)) {
        List<?> want = expected.records(dataset);
        assertFalse(want.isEmpty(), dataset.name());
        List<?> have = got.records(dataset);
        assertTrue(want.equals(have), () -> difference(dataset.name(), want, have));
      }
      List<DeadLetter> wantDead = expected.records(Dataset.DEAD_LETTER);
      List<DeadLetter> gotDead = got.records(Dataset.DEAD_LETTER);
      if (resumedFromCheckpoint) {
        assertEquals(positions(wantDead), positions(gotDead), "the same records dead-lettered");
        Map<String, Long> times =
            gotDead.stream()
                .collect(Collectors.groupingBy(DeadLetter::getPosition, Collectors.counting()));
        assertTrue(times.values().stream().allMatch(n -> n <= 2), "at most twice: " + times);
      } else {
        assertEquals(wantDead.size(), gotDead.size(), "dead letters");
        assertEquals(positions(wantDead), positions(gotDead), "the same records dead-lettered");
      }
    }
    try (Stream<Path> files = Files.walk(lake)) {
      List<Path> staged =
          files
              .filter(Files::isRegularFile)
              .filter(f -> lake.relativize(f).toString().contains("/.temp-"))
              .toList();
      assertEquals(List.of(), staged, "what the stopped attempts staged is gone");
    }
  }
}
