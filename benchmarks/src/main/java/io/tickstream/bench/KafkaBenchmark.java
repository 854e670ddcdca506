package io.tickstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickstream.testing.FlinkSessionCluster;
import io.tickstream.testing.KafkaBroker;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka, the production path, beside the native Flink SQL peer on the same ticks: a local KRaft
 * broker holding every line of a JSON-lines file (the peer's {@code make_ticks.py}) in a topic of
 * two partitions, keyed by symbol and half the symbols in each; then, in turn, {@code ./tickstream stream --source=kafka:...}
 * on embedded Flink (a fresh consumer group each run, checkpoints every 10 s, ending once the topic
 * has been idle for 2 s) and {@code ../shared/peer-flink} in streaming mode on the file. Prints
 * each run's wall seconds from process start to exit (start-up, and for tickstream the 2 s of
 * idleness that ends the job, included) and ticks/s; for tickstream also the reading rate (from its
 * progress lines, between the first that shows records and the last before all were read), the
 * rate from the first record to exit, when its Flink job was running, and its completed
 * checkpoints' duration and size; and the median ratio of the wall times.
 *
 * <p>{@code benchmarks/run KafkaBenchmark FILE [RUNS=3] [WORK_DIR]}
 */
public final class KafkaBenchmark {
  /**
   * The TaskManagers' memory here, larger than the tests' cluster keeps to (384 MB of task heap,
   * 192 MB managed, 64 MB of network buffers): with those this job took 150 s, with these 86 s.
   * Still a fraction of an EMR core node's.
   */
  private static final Map<String, String> TASK_MANAGER_MEMORY =
      Map.of(
          "taskmanager.memory.task.heap.size", "1024m",
          "taskmanager.memory.managed.size", "512m",
          "taskmanager.memory.network.min", "128m",
          "taskmanager.memory.network.max", "128m");

  /** The topic's partitions, as many as the job's parallelism. */
  private static final int PARTITIONS = 2;

  private static final Pattern SYMBOL = Pattern.compile("\"symbol\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern CHECKPOINT =
      Pattern.compile(
          "Completed checkpoint \\d+ for job \\S+ \\((\\d+) bytes, checkpointDuration=(\\d+) ms");
  private static final Pattern RUNNING =
      Pattern.compile("^(\\S+) .*Job .* switched from state CREATED to RUNNING");
  private static final Pattern READ = Pattern.compile("records read +([0-9,]+)");
  private static final Pattern PROGRESS = Pattern.compile(": ticks ([0-9,]+) \\(");
  private static final Pattern SCRAPED_READ =
      Pattern.compile("(?m)^\\w*tickstream_+records_read\\w*(?:\\{.*\\})? ([0-9.eE+-]+)$");

  private KafkaBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || (args.length > 3 && !List.of("embedded", "cluster").contains(args[3]))) {
      System.err.println(
          "usage: KafkaBenchmark FILE [RUNS=3] [WORK_DIR] [embedded|cluster [STREAM_FLAG...]]");
      System.exit(2);
    }
    Path file = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work =
        args.length > 2
            ? Files.createDirectories(Path.of(args[2]).toAbsolutePath())
            : Files.createTempDirectory("tickstream-kafka-bench");
    boolean onCluster = args.length > 3 && args[3].equals("cluster");
    // More flags for tickstream, e.g. to compare a setting.
    List<String> flags = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();
    Path root = Path.of(System.getProperty("user.dir"));
    Path peer = root.resolve("../shared/peer-flink/run").normalize();
    try (KafkaBroker broker = KafkaBroker.start();
        FlinkSessionCluster cluster = onCluster ? startCluster() : null) {
      broker.createTopic("ticks", PARTITIONS);
      long records = produce(file, broker.bootstrapServers());
      List<Double> ours = new ArrayList<>();
      List<Double> theirs = new ArrayList<>();
      // Run 0 warms up both (the launcher's build check, the peer's jar) and is not counted.
      for (int run = 0; run <= runs; run++) {
        Run t =
            cluster == null
                ? tickstream(root, broker.bootstrapServers(), run, work, flags)
                : tickstreamOnCluster(cluster, root, broker.bootstrapServers(), run, work, flags);
        deleteTree(work.resolve("peer-out"));
        Run p =
            run(
                List.of(
                    peer.toString(),
                    file.toString(),
                    work.resolve("peer-out").toString(),
                    "--mode",
                    "streaming"),
                work.resolve("peer.out"),
                null);
        if (run == 0) {
          continue;
        }
        ours.add(t.seconds());
        theirs.add(p.seconds());
        System.out.printf(
            Locale.ROOT,
            "run %d  tickstream  %.1f s  %,.0f ticks/s  (reading %s ticks/s; first record to exit"
                + " %s ticks/s; %s records read; Flink job running after %s s; %s)%n",
            run,
            t.seconds(),
            records / t.seconds(),
            t.readingRate(records),
            t.fromFirstRecordToExit(records),
            t.match(READ),
            cluster == null ? t.runningAfter() : clusterRunningAfter(cluster, t),
            cluster == null ? t.checkpoints() : clusterCheckpoints(cluster));
        System.out.printf(
            Locale.ROOT,
            "run %d  peer        %.1f s  %,.0f ticks/s  (%s)%n",
            run,
            p.seconds(),
            records / p.seconds(),
            p.lastLine());
      }
      double mo = median(ours);
      double mt = median(theirs);
      System.out.printf(
          Locale.ROOT,
          "median  tickstream %.1f s, peer %.1f s: tickstream/peer wall %.2f%n",
          mo,
          mt,
          mo / mt);
    }
    System.exit(0);
  }

  /**
   * A JobManager and two TaskManagers of one slot each, as separate processes (the integration
   * tests' cluster), with the shipped Flink configuration and {@link #TASK_MANAGER_MEMORY}.
   */
  private static FlinkSessionCluster startCluster() throws Exception {
    FlinkSessionCluster cluster = FlinkSessionCluster.start(2, 1, TASK_MANAGER_MEMORY);
    System.out.printf(
        Locale.ROOT, "session cluster: JobManager and 2 TaskManagers at %s%n", cluster.master());
    return cluster;
  }

  /**
   * Sends every line of {@code file} to topic {@code ticks}, keyed by its symbol, each symbol to
   * the partition after the previous new symbol's (a line without one to the next partition in
   * turn). Kafka's default partitioner hashes the key instead, which for a file of 20 symbols puts
   * 8 in one partition and 12 in the other: the job would then read the larger partition alone for
   * the last third of the run, which measures the hash rather than the pipeline. Each symbol still
   * lives in one partition, in order.
   */
  private static long produce(Path file, String bootstrap) throws IOException {
    long start = System.nanoTime();
    long n = 0;
    Map<String, Integer> partitionOf = new HashMap<>();
    long[] perPartition = new long[PARTITIONS];
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher m = SYMBOL.matcher(line);
        String symbol = m.find() ? m.group(1) : null;
        int partition =
            symbol == null
                ? (int) (n % PARTITIONS)
                : partitionOf.computeIfAbsent(symbol, s -> partitionOf.size() % PARTITIONS);
        byte[] key = symbol == null ? null : symbol.getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>("ticks", partition, key, line.getBytes(StandardCharsets.UTF_8)));
        perPartition[partition]++;
        n++;
      }
      producer.flush();
    }
    System.out.printf(
        Locale.ROOT,
        "produced %,d records (%,d symbols) to %d partitions %s in %.1f s%n",
        n,
        partitionOf.size(),
        PARTITIONS,
        Arrays.toString(perPartition),
        (System.nanoTime() - start) / 1e9);
    return n;
  }

  private static Run tickstream(
      Path root, String bootstrap, int run, Path work, List<String> flags)
      throws IOException, InterruptedException {
    Path lake = work.resolve("lake");
    deleteTree(lake);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                root.resolve("tickstream").toString(),
                "stream",
                "--source=kafka:" + bootstrap + "/ticks",
                "--kafka-group=bench-" + run,
                "--stop-when-idle",
                "--idle-timeout=2s",
                "--checkpointingInterval=10000",
                "--lake=" + lake));
    cmd.addAll(flags);
    return run(cmd, work.resolve("tickstream.out"), null);
  }

  /**
   * {@code tickstream stream} from the job jar against the session cluster, as on EMR's primary
   * node, with {@code runner-configs/flink-cluster.yaml} (RocksDB, checkpoints every 10 s). The
   * client prints no record counts from a cluster, so they are scraped from the TaskManagers'
   * Prometheus reporters every 2 s, as often as the embedded run's progress line (each scrape
   * writes every metric of the TaskManager as text: every half second cost a fifth of its CPU).
   */
  private static Run tickstreamOnCluster(
      FlinkSessionCluster cluster,
      Path root,
      String bootstrap,
      int run,
      Path work,
      List<String> flags)
      throws IOException, InterruptedException {
    Path lake = work.resolve("lake");
    deleteTree(lake);
    String jar = System.getProperty("tickstream.flinkJobJar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no Flink job jar at " + jar + " (benchmarks/run builds it)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(FlinkSessionCluster.JAVA_17_FLAGS);
    cmd.add("-Dlog4j.configurationFile=file:" + cluster.confDir().resolve("log4j.properties"));
    cmd.add("-Dlog.file=" + work.resolve("client-" + run + ".log"));
    cmd.add("-cp");
    cmd.add(jar + ":" + cluster.classpath());
    cmd.add("io.tickstream.cli.Tickstream");
    cmd.addAll(
        List.of(
            "stream",
            "--options-file=" + root.resolve("runner-configs/flink-cluster.yaml"),
            "--flinkMaster=" + cluster.master(),
            "--filesToStage=" + jar,
            "--stateBackendStoragePath=file://" + work.resolve("checkpoints"),
            "--source=kafka:" + bootstrap + "/ticks",
            "--kafka-group=bench-cluster-" + run,
            "--stop-when-idle",
            "--idle-timeout=2s",
            "--lake=" + lake));
    cmd.addAll(flags);
    return run(cmd, work.resolve("tickstream-cluster.out"), cluster);
  }

  /** The newest job on the cluster: the one the last client submitted. */
  private static JsonNode newestJob(FlinkSessionCluster cluster)
      throws IOException, InterruptedException {
    JsonNode newest = null;
    for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
      if (newest == null || job.path("start-time").asLong() > newest.path("start-time").asLong()) {
        newest = job;
      }
    }
    if (newest == null) {
      throw new IllegalStateException("no job on the cluster");
    }
    return newest;
  }

  /** When the newest job switched to RUNNING, in seconds after its client started. */
  private static String clusterRunningAfter(FlinkSessionCluster cluster, Run client)
      throws IOException, InterruptedException {
    String id = newestJob(cluster).path("jid").asText();
    long running = cluster.rest("/jobs/" + id).path("timestamps").path("RUNNING").asLong();
    return String.format(Locale.ROOT, "%.1f", (running - client.startMillis()) / 1000.0);
  }

  /** The newest job's completed checkpoints, from the JobManager's checkpoint statistics. */
  private static String clusterCheckpoints(FlinkSessionCluster cluster)
      throws IOException, InterruptedException {
    String id = newestJob(cluster).path("jid").asText();
    List<Long> millis = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    for (JsonNode c : cluster.rest("/jobs/" + id + "/checkpoints").path("history")) {
      if (c.path("status").asText().equals("COMPLETED")) {
        millis.add(c.path("end_to_end_duration").asLong());
        bytes.add(c.path("state_size").asLong());
      }
    }
    return describeCheckpoints(millis, bytes);
  }

  private static String describeCheckpoints(List<Long> millis, List<Long> bytes) {
    if (millis.isEmpty()) {
      return "no checkpoint completed";
    }
    return String.format(
        Locale.ROOT,
        "%d checkpoints: %d-%d ms, %,d-%,d KiB",
        millis.size(),
        Collections.min(millis),
        Collections.max(millis),
        Collections.min(bytes) / 1024,
        Collections.max(bytes) / 1024);
  }

  /** Records read so far, summed over the TaskManagers' reporters; -1 if one did not answer. */
  private static long scrapeRecordsRead(FlinkSessionCluster cluster) {
    long sum = 0;
    for (int port : cluster.taskManagerMetricsPorts()) {
      String text;
      try {
        text = FlinkSessionCluster.scrape(port);
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      Matcher m = SCRAPED_READ.matcher(text);
      while (m.find()) {
        sum += (long) Double.parseDouble(m.group(1));
      }
    }
    return sum;
  }

  /**
   * Runs {@code cmd} to its end, its output copied to {@code out} line by line with the time each
   * line came; with a cluster, also a line of records read, scraped every 2 s.
   */
  private static Run run(List<String> cmd, Path out, @Nullable FlinkSessionCluster cluster)
      throws IOException, InterruptedException {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<TimedLine> lines = Collections.synchronizedList(new ArrayList<>());
    Thread scraper = null;
    if (cluster != null) {
      scraper =
          new Thread(
              () -> {
                while (p.isAlive()) {
                  long read = scrapeRecordsRead(cluster);
                  if (read >= 0) {
                    String line = String.format(Locale.ROOT, "scraped: ticks %,d (", read);
                    lines.add(new TimedLine((System.nanoTime() - start) / 1e9, line));
                  }
                  try {
                    Thread.sleep(2_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "scrape-records-read");
      scraper.setDaemon(true);
      scraper.start();
    }
    try (BufferedReader output =
            new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter copy = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        lines.add(new TimedLine((System.nanoTime() - start) / 1e9, line));
        copy.write(line);
        copy.newLine();
      }
    }
    int code = p.waitFor();
    double secs = (System.nanoTime() - start) / 1e9;
    if (scraper != null) {
      scraper.interrupt();
      scraper.join();
    }
    String text = Files.readString(out);
    if (code != 0) {
      System.err.print(text);
      throw new IllegalStateException(cmd.get(0) + " exited " + code);
    }
    return new Run(secs, startMillis, text, List.copyOf(lines));
  }

  private static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A line of a process's output, with the seconds since the process started. */
  private record TimedLine(double at, String text) {}

  /** One process's wall time, start and output. */
  private record Run(
      double seconds, long startMillis, String output, List<TimedLine> lines) {
    /** The progress lines' records read, each with when it was printed. */
    private List<double[]> progress() {
      List<double[]> out = new ArrayList<>();
      for (TimedLine line : lines) {
        Matcher m = PROGRESS.matcher(line.text());
        if (m.find()) {
          out.add(new double[] {line.at(), Long.parseLong(m.group(1).replace(",", ""))});
        }
      }
      return out;
    }

    /**
     * Records a second while reading: between the first progress line that shows records and the
     * last one that does not yet show them all, so neither start-up nor the end is in it.
     */
    String readingRate(long records) {
      double[] first = null;
      double[] last = null;
      for (double[] p : progress()) {
        if (p[1] > 0 && first == null) {
          first = p;
        }
        if (p[1] > 0 && p[1] < records) {
          last = p;
        }
      }
      if (first == null || last == null || last[0] <= first[0]) {
        return "?";
      }
      return String.format(Locale.ROOT, "%,.0f", (last[1] - first[1]) / (last[0] - first[0]));
    }

    /**
     * Records a second from the last progress line before the first record (so at most a progress
     * interval before it) to the process's exit: the end of the input and the job's final
     * checkpoint are in it, start-up is not.
     */
    String fromFirstRecordToExit(long records) {
      double before = -1;
      for (double[] p : progress()) {
        if (p[1] == 0) {
          before = p[0];
        } else {
          break;
        }
      }
      if (before < 0) {
        return "?";
      }
      return String.format(Locale.ROOT, "%,.0f", records / (seconds - before));
    }

    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1];
    }

    String match(Pattern p) {
      Matcher m = p.matcher(output);
      return m.find() ? m.group(1) : "?";
    }

    /** The job's log, named on the launcher's first line. */
    private List<String> log() throws IOException {
      Matcher m = Pattern.compile("\\(log: (\\S+)\\)").matcher(output);
      return m.find() ? Files.readAllLines(Path.of(m.group(1))) : List.of();
    }

    String runningAfter() throws IOException {
      for (String line : log()) {
        Matcher m = RUNNING.matcher(line);
        if (m.find()) {
          long at =
              LocalDateTime.parse(m.group(1).substring(0, 23))
                  .toInstant(ZoneOffset.UTC)
                  .toEpochMilli();
          return String.format(Locale.ROOT, "%.1f", (at - startMillis) / 1000.0);
        }
      }
      return "?";
    }

    String checkpoints() throws IOException {
      List<Long> millis = new ArrayList<>();
      List<Long> bytes = new ArrayList<>();
      for (String line : log()) {
        Matcher m = CHECKPOINT.matcher(line);
        if (m.find()) {
          bytes.add(Long.parseLong(m.group(1)));
          millis.add(Long.parseLong(m.group(2)));
        }
      }
      return describeCheckpoints(millis, bytes);
    }
  }
}
