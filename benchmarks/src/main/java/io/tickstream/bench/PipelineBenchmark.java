package io.tickstream.bench;

import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.Simulation;
import io.tickstream.generator.cli.GenerateCommand;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.StreamingPipeline;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.transforms.ProcessTicks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import picocli.CommandLine;

/**
 * Measures the whole job on a seeded generator load: ticks per second end to end into the Parquet
 * lake, peak heap, and the pipeline's own delay. A command, not a test; README.md has the commands
 * and the figures measured with them.
 *
 * <ul>
 *   <li>{@code throughput [flink|direct] SYMBOLS TICKS_PER_MINUTE DURATION [SPEED]}: as fast as
 *       possible, or at the generator's {@code --speed}.
 *   <li>{@code latency SYMBOLS TICKS_PER_MINUTE DURATION}: at {@code --speed 1} from now, p50/p99
 *       of (wall time a bar or signal is emitted - (its window end + max out-of-orderness)).
 *   <li>{@code memory SYMBOLS TICKS_PER_MINUTE DURATION [SPEED]}: the throughput run in a child JVM
 *       with a 1 GiB heap, then the same with a 10x longer duration, comparing peak live heap. Both
 *       run at the same generator speed (default 60x), so that what the job holds in flight, which
 *       grows with its rate (a lagging watermark holds more event time at a higher rate), is the
 *       same in both and only what grows with the stream's length shows.
 * </ul>
 */
public final class PipelineBenchmark {
  private static final long OUT_OF_ORDERNESS_MILLIS = 30_000;

  /**
   * Delays in milliseconds, one bucket a millisecond up to a minute; the last bucket holds more.
   */
  static final AtomicLongArray DELAYS = new AtomicLongArray(60_001);

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "throughput";
    switch (mode) {
      case "throughput":
        throughput(
            args.length > 1 ? args[1] : "flink",
            arg(args, 2, "20"),
            arg(args, 3, "600"),
            arg(args, 4, "2h"),
            arg(args, 5, "max"));
        break;
      case "latency":
        latency(arg(args, 1, "50"), arg(args, 2, "6000"), arg(args, 3, "3m"));
        break;
      case "memory":
        memory(arg(args, 1, "5000"), arg(args, 2, "6"), arg(args, 3, "30m"), arg(args, 4, "60"));
        break;
      default:
        System.err.println("usage: PipelineBenchmark throughput|latency|memory ...");
        System.exit(2);
    }
    System.exit(0);
  }

  private static String arg(String[] args, int i, String fallback) {
    return args.length > i ? args[i] : fallback;
  }

  static void throughput(String runner, String symbols, String tpm, String duration, String speed)
      throws Exception {
    Path lake = Files.createTempDirectory("tickstream-bench-lake");
    String[] simulation = {
      "--symbols", symbols, "--ticks-per-minute", tpm, "--duration", duration, "--speed", speed
    };
    String source = "--source=generator";
    if (runner.equals("direct")) {
      // The DirectRunner re-creates unbounded readers every few hundred records, which makes the
      // in-pipeline generator crawl there; it is measured on the same data as landing files.
      Path landing = Files.createTempDirectory("tickstream-bench-landing");
      writeLanding(landing, simulation);
      source = "--source=file:" + landing + "/**/*.jsonl";
    }
    HeapSampler heap = HeapSampler.start();
    TickSampler progress = new TickSampler();
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    PipelineResult result = run(runner, lake, false, progress, source, simulation);
    long end = System.nanoTime();
    double secs = (end - start) / 1e9;
    double cpuSecs = (processCpuNanos() - cpuStart) / 1e9;
    progress.stop();
    heap.stop();
    long ticks = counter(result, PipelineMetrics.TICKS_IN);
    System.out.printf(
        Locale.ROOT,
        "throughput %s: %,d ticks (%s symbols x %s/min x %s) in %.1f s = %,.0f ticks/s end to end"
            + " into the lake (start-up included); first tick read after %.1f s; %s; CPU %.1f s ="
            + " %.1f us a tick; peak heap used %,d MiB%s; lake %,d MiB%n",
        runner,
        ticks,
        symbols,
        tpm,
        duration,
        secs,
        ticks / secs,
        progress.firstTickSeconds(start),
        progress.rateAfterStartUp(ticks, end),
        cpuSecs,
        cpuSecs * 1e6 / Math.max(1, ticks),
        heap.peakUsed() >> 20,
        heap.peakLive() < 0
            ? ""
            : String.format(Locale.ROOT, ", peak live heap %,d MiB", heap.peakLive() >> 20),
        size(lake) >> 20);
    delete(lake);
  }

  /**
   * Samples the job's ticks_in counter every 100 ms, for when the first tick was read: the rate
   * from then to the job's end leaves out start-up (options, translation, the embedded cluster),
   * not warm-up or the last windows' writes.
   */
  static final class TickSampler {
    private final List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.LongSupplier ticksIn = () -> 0;
    private volatile boolean running = true;
    private final Thread thread;

    TickSampler() {
      thread = new Thread(this::loop, "tick-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    /** Where the counter is read from once the job runs. */
    void read(java.util.function.LongSupplier ticksIn) {
      this.ticksIn = ticksIn;
    }

    private void loop() {
      while (running) {
        samples.add(new long[] {System.nanoTime(), ticksIn.getAsLong()});
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    /** When the counter first showed a tick, or -1. */
    private long firstTickNanos() {
      for (long[] s : samples) {
        if (s[1] > 0) {
          return s[0];
        }
      }
      return -1;
    }

    double firstTickSeconds(long startNanos) {
      long first = firstTickNanos();
      return first < 0 ? Double.NaN : (first - startNanos) / 1e9;
    }

    /** Ticks per second from the first tick read to the end of the job (last file written). */
    String rateAfterStartUp(long total, long endNanos) {
      long first = firstTickNanos();
      if (first < 0 || endNanos <= first) {
        return "no tick seen while running";
      }
      return String.format(
          Locale.ROOT,
          "%,.0f ticks/s from the first tick read to the end",
          total / ((endNanos - first) / 1e9));
    }
  }

  static void latency(String symbols, String tpm, String duration) throws Exception {
    Path lake = Files.createTempDirectory("tickstream-bench-lake");
    String start = Instant.ofEpochMilli(System.currentTimeMillis()).toString();
    System.out.printf(
        Locale.ROOT,
        "latency: %s symbols x %s ticks/min = %,.0f ticks/s at --speed 1 from %s for %s%n",
        symbols,
        tpm,
        Double.parseDouble(symbols) * Double.parseDouble(tpm) / 60,
        start,
        duration);
    PipelineResult result =
        run(
            "flink",
            lake,
            true,
            null,
            "--source=generator",
            "--symbols",
            symbols,
            "--ticks-per-minute",
            tpm,
            "--duration",
            duration,
            "--speed",
            "1",
            "--start",
            start);
    computeDelays();
    long n = 0;
    for (int i = 0; i < DELAYS.length(); i++) {
      n += DELAYS.get(i);
    }
    System.out.printf(
        Locale.ROOT,
        "latency: %,d bars and signals; delay after window end + max out-of-orderness: p50 %d ms,"
            + " p99 %d ms, max %d ms (ticks %,d; generator pacing offset %,d ms)%n",
        n,
        percentile(0.50),
        percentile(0.99),
        percentile(1.0),
        counter(result, PipelineMetrics.TICKS_IN),
        PACING_OFFSET.get());
    delete(lake);
  }

  static void memory(String symbols, String tpm, String duration, String speed) throws Exception {
    java.time.Duration base = io.tickstream.generator.Durations.parse(duration);
    String longer = (base.toMinutes() * 10) + "m";
    List<String> results = new ArrayList<>();
    for (String d : new String[] {duration, longer}) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "-Dtickstream.bench.measureLiveHeap=true",
                  "-cp",
                  System.getProperty("java.class.path"),
                  PipelineBenchmark.class.getName(),
                  "throughput",
                  "flink",
                  symbols,
                  tpm,
                  d,
                  speed));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("throughput")) {
            System.out.println("memory (-Xmx1g): " + line);
            results.add(line);
          }
        }
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException("child run failed for duration " + d);
      }
    }
    long shortPeak = livePeak(results.get(0));
    long longPeak = livePeak(results.get(1));
    System.out.printf(
        Locale.ROOT,
        "memory: peak live heap %,d MiB for %s, %,d MiB for %s: %+.0f%% (target: at most +20%%)%n",
        shortPeak,
        duration,
        longPeak,
        longer,
        (longPeak - shortPeak) * 100.0 / Math.max(1, shortPeak));
  }

  private static long livePeak(String line) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("peak live heap ([0-9,]+) MiB").matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("no peak in: " + line);
    }
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static void writeLanding(Path landing, String[] simulation) throws Exception {
    GenerateCommand generate = new GenerateCommand();
    List<String> args = new ArrayList<>(Arrays.asList(simulation));
    args.addAll(List.of("--sink", "file:" + landing, "--progress-interval", "0"));
    new CommandLine(generate).parseArgs(args.toArray(new String[0]));
    GeneratorConfig config = generate.toConfig();
    int code =
        new io.tickstream.generator.GeneratorRun(
                config, new java.io.PrintWriter(new java.io.StringWriter()))
            .run();
    if (code != 0) {
      throw new IllegalStateException("writing the landing files failed");
    }
  }

  private static PipelineResult run(
      String runner,
      Path lake,
      boolean measureDelay,
      @javax.annotation.Nullable TickSampler progress,
      String source,
      String... simulation)
      throws Exception {
    GenerateCommand generate = new GenerateCommand();
    new CommandLine(generate).parseArgs(simulation);
    Simulation market = generate.toConfig().simulation();
    SourceSpec spec = SourceSpec.parse(source.substring("--source=".length()));
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--streaming=" + !spec.bounded()).as(PipelineOptions.class);
    if (runner.equals("direct")) {
      options.setRunner(DirectRunner.class);
      DirectOptions d = options.as(DirectOptions.class);
      d.setEnforceImmutability(false);
      d.setEnforceEncodability(false);
      d.setBlockOnRun(false);
    } else {
      options.setRunner(FlinkRunner.class);
      FlinkPipelineOptions f = options.as(FlinkPipelineOptions.class);
      f.setFlinkMaster("[local]");
      f.setParallelism(2);
      // As the launcher runs it.
      f.setObjectReuse(true);
      io.tickstream.cli.FlinkJobs.configure(f, true);
      io.tickstream.cli.LiveMetrics.clear();
      if (progress != null) {
        progress.read(() -> io.tickstream.cli.LiveMetrics.counter(PipelineMetrics.TICKS_IN));
      }
    }
    StreamConfig config =
        StreamConfig.builder()
            .setSource(spec)
            .setGenerator(
                spec.type() == SourceSpec.Type.GENERATOR
                    ? GeneratorSourceConfig.of(market)
                        .withMaxOutOfOrderness(Duration.ofMillis(OUT_OF_ORDERNESS_MILLIS))
                    : null)
            .setLake(LakeConfig.at(lake.toString()))
            .build();
    Pipeline p = Pipeline.create(options);
    PCollectionTuple out = StreamingPipeline.build(p, config);
    if (measureDelay) {
      out.get(ProcessTicks.BARS).apply("MeasureBarDelay", ParDo.of(new BarDelayFn()));
      out.get(ProcessTicks.SIGNALS).apply("MeasureSignalDelay", ParDo.of(new SignalDelayFn()));
      ProcessTicks.ticksOf(out).apply("MeasurePacingOffset", ParDo.of(new PacingOffsetFn()));
    }
    PipelineResult result = p.run();
    if (progress != null && runner.equals("direct")) {
      progress.read(() -> counter(result, PipelineMetrics.TICKS_IN));
    }
    result.waitUntilFinish();
    return result;
  }

  /**
   * The generator emits a tick at a constant offset from its event time (its clock starts when its
   * first record goes out); the smallest (wall time - event time) seen on a tick is that offset.
   */
  static final AtomicLong PACING_OFFSET = new AtomicLong(Long.MAX_VALUE);

  /** Emission delays recorded before the offset was known, as (wall, window end) pairs. */
  static final java.util.concurrent.ConcurrentLinkedQueue<long[]> EMISSIONS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  static void record(long windowEndMillis) {
    EMISSIONS.add(new long[] {System.currentTimeMillis(), windowEndMillis});
  }

  /**
   * Turns the recorded emissions into delays after (window end + out-of-orderness) on the wall
   * clock.
   */
  static void computeDelays() {
    long offset = PACING_OFFSET.get();
    for (long[] e : EMISSIONS) {
      long delay = e[0] - (e[1] + offset + OUT_OF_ORDERNESS_MILLIS);
      DELAYS.incrementAndGet((int) Math.max(0, Math.min(DELAYS.length() - 1, delay)));
    }
  }

  /** Tracks the generator's pacing offset from every unique tick. */
  static final class PacingOffsetFn extends DoFn<io.tickstream.tick.Tick, Void> {
    @ProcessElement
    public void process(@Element io.tickstream.tick.Tick tick) {
      PACING_OFFSET.accumulateAndGet(
          System.currentTimeMillis() - tick.timestampMillis(), Math::min);
    }
  }

  /** Records the emission delay of each bar (embedded runs only: the histogram is in this JVM). */
  static final class BarDelayFn extends DoFn<Bar, Void> {
    @ProcessElement
    public void process(@Element Bar bar) {
      record(bar.getWindowEnd().getMillis());
    }
  }

  /** Records the emission delay of each signal. */
  static final class SignalDelayFn extends DoFn<Signal, Void> {
    @ProcessElement
    public void process(@Element Signal signal) {
      record(signal.getTs().getMillis());
    }
  }

  private static long percentile(double q) {
    long total = 0;
    for (int i = 0; i < DELAYS.length(); i++) {
      total += DELAYS.get(i);
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < DELAYS.length(); i++) {
      seen += DELAYS.get(i);
      if (seen >= rank && seen > 0) {
        return i;
      }
    }
    return -1;
  }

  private static long counter(PipelineResult result, String name) {
    return PipelineMetrics.sum(result, name);
  }

  /** CPU time of this whole process (all threads, JIT and GC included). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long size(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /**
   * Samples heap use every 50 ms for the peak used; with {@code tickstream.bench.measureLiveHeap}
   * also forces a full collection every 2 s and takes the heap left after it, from the collector's
   * own report, as the live set.
   */
  static final class HeapSampler {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    static HeapSampler start() {
      HeapSampler s = new HeapSampler();
      if (Boolean.getBoolean("tickstream.bench.measureLiveHeap")) {
        s.listenToFullCollections();
      }
      s.thread = new Thread(s::loop, "heap-sampler");
      s.thread.setDaemon(true);
      s.thread.start();
      return s;
    }

    /**
     * After each collection System.gc() asked for, the heap pools' usage after it: the live set.
     * (Pools' "collection usage" mixes the old generation's last full collection with later young
     * ones, counting survivors twice.)
     */
    private void listenToFullCollections() {
      for (java.lang.management.GarbageCollectorMXBean gc :
          ManagementFactory.getGarbageCollectorMXBeans()) {
        ((javax.management.NotificationEmitter) gc)
            .addNotificationListener(
                (notification, handback) -> {
                  if (!notification
                      .getType()
                      .equals(
                          com.sun.management.GarbageCollectionNotificationInfo
                              .GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                  }
                  com.sun.management.GarbageCollectionNotificationInfo info =
                      com.sun.management.GarbageCollectionNotificationInfo.from(
                          (javax.management.openmbean.CompositeData) notification.getUserData());
                  if (!info.getGcCause().equals("System.gc()")) {
                    return;
                  }
                  long live = 0;
                  for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    java.lang.management.MemoryUsage after =
                        info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (pool.getType() == MemoryType.HEAP && after != null) {
                      live += after.getUsed();
                    }
                  }
                  peakLive.accumulateAndGet(live, Math::max);
                },
                null,
                null);
      }
    }

    private void loop() {
      List<MemoryPoolMXBean> heap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .toList();
      boolean forceGc = Boolean.getBoolean("tickstream.bench.measureLiveHeap");
      long lastGc = System.nanoTime();
      while (running) {
        if (forceGc && System.nanoTime() - lastGc > 2_000_000_000L) {
          System.gc();
          lastGc = System.nanoTime();
        }
        long used = 0;
        for (MemoryPoolMXBean p : heap) {
          used += p.getUsage().getUsed();
        }
        peakUsed.accumulateAndGet(used, Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    long peakUsed() {
      return peakUsed.get();
    }

    /** The largest live set seen, or -1 when not measured. */
    long peakLive() {
      return Boolean.getBoolean("tickstream.bench.measureLiveHeap") ? peakLive.get() : -1;
    }
  }
}
