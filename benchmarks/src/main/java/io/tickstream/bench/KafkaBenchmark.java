package io.tickstream.bench;

import io.tickstream.testing.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka, the production path, beside the native Flink SQL peer on the same ticks: a local KRaft
 * broker holding every line of a JSON-lines file (the peer's {@code make_ticks.py}) in a topic of
 * two partitions, keyed by symbol; then, in turn, {@code ./tickstream stream --source=kafka:...}
 * on embedded Flink (a fresh consumer group each run, checkpoints every 10 s, ending once the topic
 * has been idle for 2 s) and {@code ../shared/peer-flink} in streaming mode on the file. Prints
 * each run's wall seconds from process start to exit (start-up, and for tickstream the 2 s of
 * idleness that ends the job, included), ticks/s, when tickstream's Flink job was running, its
 * completed checkpoints' duration and size, and the median ratio.
 *
 * <p>{@code benchmarks/run KafkaBenchmark FILE [RUNS=3] [WORK_DIR]}
 */
public final class KafkaBenchmark {
  private static final Pattern SYMBOL = Pattern.compile("\"symbol\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern CHECKPOINT =
      Pattern.compile(
          "Completed checkpoint \\d+ for job \\S+ \\((\\d+) bytes, checkpointDuration=(\\d+) ms");
  private static final Pattern RUNNING =
      Pattern.compile("^(\\S+) .*Job .* switched from state CREATED to RUNNING");
  private static final Pattern READ = Pattern.compile("records read +([0-9,]+)");

  private KafkaBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: KafkaBenchmark FILE [RUNS=3] [WORK_DIR]");
      System.exit(2);
    }
    Path file = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work =
        args.length > 2
            ? Files.createDirectories(Path.of(args[2]))
            : Files.createTempDirectory("tickstream-kafka-bench");
    Path root = Path.of(System.getProperty("user.dir"));
    Path peer = root.resolve("../shared/peer-flink/run").normalize();
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic("ticks", 2);
      long records = produce(file, broker.bootstrapServers());
      List<Double> ours = new ArrayList<>();
      List<Double> theirs = new ArrayList<>();
      // Run 0 warms up both (the launcher's build check, the peer's jar) and is not counted.
      for (int run = 0; run <= runs; run++) {
        Run t = tickstream(root, broker.bootstrapServers(), run, work);
        deleteTree(work.resolve("peer-out"));
        Run p =
            run(
                List.of(
                    peer.toString(),
                    file.toString(),
                    work.resolve("peer-out").toString(),
                    "--mode",
                    "streaming"),
                work.resolve("peer.out"));
        if (run == 0) {
          continue;
        }
        ours.add(t.seconds());
        theirs.add(p.seconds());
        System.out.printf(
            Locale.ROOT,
            "run %d  tickstream  %.1f s  %,.0f ticks/s  (%s records read; Flink job running after"
                + " %s s; %s)%n",
            run,
            t.seconds(),
            records / t.seconds(),
            t.match(READ),
            t.runningAfter(),
            t.checkpoints());
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

  /** Sends every line of {@code file} to topic {@code ticks}, keyed by its symbol. */
  private static long produce(Path file, String bootstrap) throws IOException {
    long start = System.nanoTime();
    long n = 0;
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
        byte[] key = m.find() ? m.group(1).getBytes(StandardCharsets.UTF_8) : null;
        producer.send(new ProducerRecord<>("ticks", key, line.getBytes(StandardCharsets.UTF_8)));
        n++;
      }
      producer.flush();
    }
    System.out.printf(
        Locale.ROOT,
        "produced %,d records to 2 partitions in %.1f s%n",
        n,
        (System.nanoTime() - start) / 1e9);
    return n;
  }

  private static Run tickstream(Path root, String bootstrap, int run, Path work)
      throws IOException, InterruptedException {
    Path lake = work.resolve("lake");
    deleteTree(lake);
    return run(
        List.of(
            root.resolve("tickstream").toString(),
            "stream",
            "--source=kafka:" + bootstrap + "/ticks",
            "--kafka-group=bench-" + run,
            "--stop-when-idle",
            "--idle-timeout=2s",
            "--checkpointingInterval=10000",
            "--lake=" + lake),
        work.resolve("tickstream.out"));
  }

  private static Run run(List<String> cmd, Path out) throws IOException, InterruptedException {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    int code = p.waitFor();
    double secs = (System.nanoTime() - start) / 1e9;
    String text = Files.readString(out);
    if (code != 0) {
      System.err.print(text);
      throw new IllegalStateException(cmd.get(0) + " exited " + code);
    }
    return new Run(secs, startMillis, text);
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

  /** One process's wall time, start and output. */
  private record Run(double seconds, long startMillis, String output) {
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
  }
}
