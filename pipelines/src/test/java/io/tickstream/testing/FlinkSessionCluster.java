package io.tickstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Flink 1.19 session cluster as separate OS processes on 127.0.0.1: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) started from
 * the Flink jars of the build (the classpath {@code test-servers/flink-cluster/pom.xml} resolves;
 * flink-dist is not served), each with the Java 17 flags Flink needs and its own Prometheus
 * reporter port, REST and RPC on free ports. Closing it kills every process and deletes its
 * directory (configuration and logs; the logs are kept when {@code keepLogs} is set, for a
 * failure).
 */
public final class FlinkSessionCluster implements AutoCloseable {
  /**
   * The shipped cluster configuration: {@code runner-configs/flink-cluster-conf/flink-conf.yaml}.
   */
  public static final Map<String, String> SHIPPED_CONF = shippedConf();

  /**
   * The JVM flags a Flink 1.19 process needs on Java 17, from the shipped configuration's {@code
   * env.java.opts.all}: Kryo and Flink's closure cleaner reach into these JDK packages.
   */
  public static final List<String> JAVA_17_FLAGS =
      List.of(SHIPPED_CONF.get("env.java.opts.all").trim().split("\\s+"));

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final Pattern MEMORY_SIZE =
      Pattern.compile("(\\d+)\\s*([kmg])b?", Pattern.CASE_INSENSITIVE);

  private final Path dir;
  private final String classpath;
  private final int restPort;
  private final Process jobManager;
  private final int jobManagerMetricsPort;
  private final List<String> taskManagerJvm;
  private final List<Process> taskManagers = new ArrayList<>();
  private final List<Integer> taskManagerMetricsPorts = new ArrayList<>();
  private final Set<Integer> killed = new HashSet<>();
  private boolean keepLogs;

  private FlinkSessionCluster(
      Path dir, String classpath, int restPort, int jmMetricsPort, List<String> taskManagerJvm)
      throws IOException {
    this.dir = dir;
    this.taskManagerJvm = taskManagerJvm;
    this.classpath = classpath;
    this.restPort = restPort;
    this.jobManagerMetricsPort = jmMetricsPort;
    this.jobManager =
        start(
            "jobmanager",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            jmMetricsPort,
            List.of(),
            "-Xmx512m");
  }

  /** The cluster's classpath file, written by the build; its path is a system property. */
  public static String classpathFromBuild() throws IOException {
    String file = System.getProperty("tickstream.flinkClusterClasspath");
    if (file == null) {
      throw new IllegalStateException(
          "tickstream.flinkClusterClasspath is not set (run mvn verify)");
    }
    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers of {@code slots} slots each and waits
   * until every TaskManager has registered.
   *
   * @param config more of Flink's configuration, e.g. a restart strategy, or larger
   *     TaskManager memory ({@code taskmanager.memory.*}: the TaskManagers' JVM heap and direct
   *     memory limits follow)
   */
  public static FlinkSessionCluster start(int taskManagers, int slots, Map<String, String> config)
      throws Exception {
    Path dir = Files.createTempDirectory("tickstream-flink-cluster");
    Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("log"));
    int rest = freePort();
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("jobmanager.rpc.address", "127.0.0.1");
    conf.put("jobmanager.rpc.port", String.valueOf(freePort()));
    conf.put("jobmanager.bind-host", "127.0.0.1");
    conf.put("rest.address", "127.0.0.1");
    conf.put("rest.bind-address", "127.0.0.1");
    conf.put("rest.port", String.valueOf(rest));
    conf.put("blob.server.port", String.valueOf(freePort()));
    conf.put("taskmanager.host", "127.0.0.1");
    conf.put("taskmanager.bind-host", "127.0.0.1");
    conf.put("taskmanager.rpc.port", "0");
    conf.put("taskmanager.data.port", "0");
    conf.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
    conf.put("jobmanager.memory.process.size", "768m");
    // A TaskManager started without Flink's scripts needs every memory component spelled out.
    conf.put("taskmanager.cpu.cores", String.valueOf(slots));
    conf.put("taskmanager.memory.framework.heap.size", "128m");
    conf.put("taskmanager.memory.framework.off-heap.size", "128m");
    conf.put("taskmanager.memory.task.heap.size", "384m");
    conf.put("taskmanager.memory.task.off-heap.size", "0m");
    conf.put("taskmanager.memory.network.min", "64m");
    conf.put("taskmanager.memory.network.max", "64m");
    conf.put("taskmanager.memory.managed.size", "192m");
    conf.put("taskmanager.memory.jvm-metaspace.size", "256m");
    conf.put("taskmanager.memory.jvm-overhead.min", "192m");
    conf.put("taskmanager.memory.jvm-overhead.max", "192m");
    // The shipped reporter and restart strategy; its S3 directories are the job's business here.
    SHIPPED_CONF.forEach(
        (k, v) -> {
          if (!v.startsWith("s3://") && !k.equals("metrics.reporter.prom.port")) {
            conf.put(k, v);
          }
        });
    conf.put("heartbeat.timeout", "10000");
    conf.put("heartbeat.interval", "2000");
    conf.put("web.submit.enable", "true");
    conf.putAll(config);
    StringBuilder yaml = new StringBuilder();
    conf.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(dir.resolve("conf/flink-conf.yaml"), yaml);
    Files.writeString(
        dir.resolve("conf/log4j.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = File",
            "appender.file.name = File",
            "appender.file.type = FILE",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            ""));
    // What a TaskManager JVM needs: the framework's and tasks' heap, then their off-heap and the
    // network buffers as direct memory, each with headroom.
    long heap =
        megabytes(conf.get("taskmanager.memory.framework.heap.size"))
            + megabytes(conf.get("taskmanager.memory.task.heap.size"))
            + 64;
    long direct =
        megabytes(conf.get("taskmanager.memory.framework.off-heap.size"))
            + megabytes(conf.get("taskmanager.memory.task.off-heap.size"))
            + megabytes(conf.get("taskmanager.memory.network.max"))
            + 128;
    FlinkSessionCluster cluster =
        new FlinkSessionCluster(
            dir,
            classpathFromBuild(),
            rest,
            freePort(),
            List.of("-Xmx" + heap + "m", "-XX:MaxDirectMemorySize=" + direct + "m"));
    try {
      for (int i = 0; i < taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers);
      return cluster;
    } catch (Exception | Error e) {
      cluster.keepLogs = true;
      cluster.close();
      throw e;
    }
  }

  /**
   * Starts one more TaskManager, whose resource id (the {@code taskmanager-id} of the REST API) is
   * {@code taskmanager-INDEX}; returns its index.
   */
  public int startTaskManager() throws IOException {
    int port = freePort();
    int index = taskManagers.size();
    taskManagers.add(
        start(
            "taskmanager-" + index,
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            port,
            List.of("taskmanager.resource-id=taskmanager-" + index),
            taskManagerJvm.toArray(String[]::new)));
    taskManagerMetricsPorts.add(port);
    return index;
  }

  private Process start(
      String name, String mainClass, int metricsPort, List<String> dynamic, String... jvm)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvm));
    cmd.addAll(JAVA_17_FLAGS);
    cmd.add("-Dlog.file=" + dir.resolve("log/" + name + ".log"));
    cmd.add("-Dlog4j.configurationFile=file:" + dir.resolve("conf/log4j.properties"));
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(dir.resolve("conf").toString());
    cmd.add("-D");
    cmd.add("metrics.reporter.prom.port=" + metricsPort);
    for (String property : dynamic) {
      cmd.add("-D");
      cmd.add(property);
    }
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("log/" + name + ".out").toFile())
        .start();
  }

  /** Waits until the JobManager reports {@code n} registered TaskManagers. */
  public void awaitTaskManagers(int n) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException("the JobManager exited: see " + log("jobmanager"));
      }
      for (int i = 0; i < taskManagers.size(); i++) {
        if (!killed.contains(i) && !taskManagers.get(i).isAlive()) {
          throw new IllegalStateException(
              n + " TaskManagers did not register: " + taskManagerStates());
        }
      }
      try {
        JsonNode overview = rest("/overview");
        last = overview.toString();
        if (overview.path("taskmanagers").asInt() == n) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        n + " TaskManagers did not register: " + last + "; " + taskManagerStates());
  }

  /**
   * Each TaskManager started: alive or its exit code, and the last error its log or console
   * shows.
   */
  private String taskManagerStates() {
    List<String> states = new ArrayList<>();
    for (int i = 0; i < taskManagers.size(); i++) {
      Process tm = taskManagers.get(i);
      String name = "taskmanager-" + i;
      String state = tm.isAlive() ? "alive" : "exited with " + tm.exitValue();
      states.add(name + " " + state + ", last error: " + lastError(name));
    }
    return String.join("; ", states);
  }

  /** The last ERROR or exception line of a process's log, then of its console; or "none". */
  private String lastError(String name) {
    for (Path file : List.of(log(name), dir.resolve("log/" + name + ".out"))) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
          String line = lines.get(i);
          if (line.contains(" ERROR ") || line.contains("Exception") || line.contains("Error:")) {
            return line.strip();
          }
        }
      } catch (IOException e) {
        // Not written yet: the process may not have got that far.
      }
    }
    return "none";
  }

  /** GET of the JobManager's REST API, e.g. {@code /jobs/overview}. */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Cancels a job without a savepoint, as {@code flink cancel JOB} does. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IOException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** What a process's Prometheus reporter serves now. */
  public static String scrape(int port) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** {@code --flinkMaster} for this cluster. */
  public String master() {
    return "127.0.0.1:" + restPort;
  }

  public int restPort() {
    return restPort;
  }

  public int jobManagerMetricsPort() {
    return jobManagerMetricsPort;
  }

  public List<Integer> taskManagerMetricsPorts() {
    return List.copyOf(taskManagerMetricsPorts);
  }

  /** The cluster's configuration directory ({@code FLINK_CONF_DIR} for a client). */
  public Path confDir() {
    return dir.resolve("conf");
  }

  /** The Flink jars the cluster runs on: what a client's {@code lib/} would hold. */
  public String classpath() {
    return classpath;
  }

  /** Kills TaskManager {@code index} with SIGKILL, as a lost machine would be. */
  public void killTaskManager(int index) throws InterruptedException {
    Process tm = taskManagers.get(index);
    killed.add(index);
    tm.destroyForcibly();
    tm.waitFor(30, TimeUnit.SECONDS);
  }

  /** A process's log file, by name: {@code jobmanager}, {@code taskmanager-0}, .... */
  public Path log(String name) {
    return dir.resolve("log/" + name + ".log");
  }

  /** Keeps the configuration and logs on close, for a test that failed. */
  public void keepLogs() {
    keepLogs = true;
  }

  @Override
  public void close() throws IOException {
    List<Process> all = new ArrayList<>(taskManagers);
    all.add(jobManager);
    for (Process p : all) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (keepLogs) {
      System.err.println("Flink cluster logs kept in " + dir.resolve("log"));
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The flat {@code key: value} lines of the shipped cluster configuration. */
  private static Map<String, String> shippedConf() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("runner-configs/flink-cluster-conf/flink-conf.yaml");
      if (Files.isRegularFile(file)) {
        Map<String, String> conf = new LinkedHashMap<>();
        try {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(": ");
            if (!line.startsWith("#") && colon > 0) {
              conf.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return conf;
      }
    }
    throw new IllegalStateException("no runner-configs/ above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Flink memory size with a unit ({@code 384m}, {@code 1g}, {@code 512mb}) in megabytes. */
  private static long megabytes(String size) {
    Matcher m = MEMORY_SIZE.matcher(size.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a memory size in k, m or g: " + size);
    }
    long n = Long.parseLong(m.group(1));
    switch (Character.toLowerCase(m.group(2).charAt(0))) {
      case 'k':
        return Math.max(1, n / 1024);
      case 'g':
        return n * 1024;
      default:
        return n;
    }
  }
}
