package io.tickstream.generator;

import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultCounts;
import io.tickstream.generator.faults.FaultInjector;
import io.tickstream.generator.market.MarketSimulator;
import io.tickstream.generator.replay.CsvReplay;
import io.tickstream.generator.replay.RejectedRow;
import io.tickstream.generator.sink.SinkStats;
import io.tickstream.generator.sink.Sinks;
import io.tickstream.generator.sink.TickSink;
import io.tickstream.tick.TickTimestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * One generator run: source, faults, pacing, sink, progress on stderr and a closing summary.
 *
 * <p>SIGTERM (how ECS stops a task) and SIGINT end the run cleanly: the sink is flushed, the
 * summary printed, and the exit code is 0.
 */
public final class GeneratorRun {
  /** Replay rows reported one by one before only counting the rest. */
  static final int MAX_REPORTED_ROWS = 50;

  private final GeneratorConfig config;
  private final PrintWriter err;
  private final Function<GeneratorConfig, TickSink> sinkFactory;
  private final Pacer.Clock clock;
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile long sent;
  private volatile long lastEventMillis = Long.MIN_VALUE;
  private long rejectedReported;

  public GeneratorRun(GeneratorConfig config, PrintWriter err) {
    this(config, err, c -> Sinks.open(c.sink(), c.sinkSettings()), Pacer.Clock.SYSTEM);
  }

  /** A run with its sink and clock supplied, for tests and for embedding. */
  public GeneratorRun(
      GeneratorConfig config,
      PrintWriter err,
      Function<GeneratorConfig, TickSink> sinkFactory,
      Pacer.Clock clock) {
    this.config = config;
    this.err = err;
    this.sinkFactory = sinkFactory;
    this.clock = clock;
  }

  /** Asks the run to stop after the record in flight; safe from any thread. */
  public void requestStop() {
    stop.set(true);
  }

  /**
   * Runs to the end of the source, the count, the duration, or a stop signal; returns the exit
   * code.
   */
  public int run() throws IOException, InterruptedException {
    Simulation market = config.simulation();
    CsvReplay replay = null;
    TickSource source;
    if (config.replayFile() != null) {
      try {
        replay = CsvReplay.open(config.replayFile(), config.replay(), this::reportRejected);
      } catch (IllegalArgumentException e) {
        err.println("generate: --replay: " + e.getMessage());
        err.flush();
        return 2;
      }
      source = replay;
    } else {
      source =
          new MarketSimulator(
              market.profiles(),
              market.startMillis(),
              market.ticksPerMinute(),
              Long.MAX_VALUE,
              market.seed());
    }
    FaultInjector records =
        new FaultInjector(
            new BoundedSource(source, market.maxTicks(), market.duration()),
            market.faults(),
            market.seed());
    Pacer pacer = new Pacer(market.speed(), config.ratePerSecond(), clock);

    Map<Signal, SignalHandler> previousHandlers = installSignalHandlers();
    try {
      long startNanos = clock.nanoTime();
      ScheduledExecutorService progress = startProgress(records.counts(), startNanos);
      TickSink sink = null;
      String failure = null;
      try {
        sink = sinkFactory.apply(config);
        Emission e;
        long n = 0;
        while (!stop.get() && (e = records.next()) != null) {
          pacer.await(e.eventTimeMillis());
          sink.send(e.key(), e.eventTimeMillis(), e.line());
          n++;
          if ((n & 0x3FF) == 0) {
            sent = n;
            lastEventMillis = e.eventTimeMillis();
          }
        }
        sent = n;
        sink.close();
      } catch (IOException | RuntimeException ex) {
        String where =
            sink == null ? config.sink().type().name().toLowerCase(Locale.ROOT) : sink.describe();
        failure = where + ": " + ex.getMessage();
        closeQuietly(sink);
      } finally {
        if (progress != null) {
          progress.shutdownNow();
        }
      }
      SinkStats stats = sink == null ? new SinkStats() : sink.stats();
      summarize(records.counts(), stats, replay, startNanos);
      if (failure != null) {
        err.println("generate: failed: " + failure);
        err.flush();
        return 1;
      }
      return 0;
    } finally {
      // A run embedded in a longer-lived process (tests, a service) leaves its signals as found.
      previousHandlers.forEach(Signal::handle);
    }
  }

  private void reportRejected(RejectedRow row) {
    if (rejectedReported++ < MAX_REPORTED_ROWS) {
      err.println("generate: --replay " + config.replayFile() + ": rejected " + row);
    }
  }

  /** Makes SIGTERM and SIGINT stop the run; returns the handlers they replaced. */
  private Map<Signal, SignalHandler> installSignalHandlers() {
    Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal signal = new Signal(name);
        previous.put(signal, Signal.handle(signal, s -> stop.set(true)));
      } catch (IllegalArgumentException e) {
        // The signal is not available on this platform or reserved by the JVM: nothing to do.
      }
    }
    return previous;
  }

  private ScheduledExecutorService startProgress(FaultCounts counts, long startNanos) {
    if (config.progressInterval().isZero()) {
      return null;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "generate-progress");
              t.setDaemon(true);
              return t;
            });
    long every = config.progressInterval().toMillis();
    s.scheduleAtFixedRate(
        () -> progressLine(counts, startNanos), every, every, TimeUnit.MILLISECONDS);
    return s;
  }

  private void progressLine(FaultCounts counts, long startNanos) {
    double secs = Math.max(1e-9, (clock.nanoTime() - startNanos) / 1e9);
    long n = sent;
    long t = lastEventMillis;
    err.printf(
        Locale.ROOT,
        "generate: %,d sent (%,.0f/s)  bad %,d  dup %,d  late %,d  event time %s%n",
        n,
        n / secs,
        counts.bad(),
        counts.duplicates(),
        counts.late(),
        t == Long.MIN_VALUE ? "-" : TickTimestamps.formatIso(t));
    err.flush();
  }

  private void summarize(FaultCounts c, SinkStats s, CsvReplay replay, long startNanos) {
    double secs = Math.max(1e-9, (clock.nanoTime() - startNanos) / 1e9);
    err.printf(Locale.ROOT, "generate: summary%n");
    err.printf(Locale.ROOT, "  ticks produced      %,d%n", c.ticks());
    err.printf(
        Locale.ROOT,
        "  records sent        %,d in %.1f s (%,.0f/s) to %s%n",
        sent,
        secs,
        sent / secs,
        describeSink());
    err.printf(
        Locale.ROOT,
        "  acknowledged        %,d  retries %,d  errors %,d%n",
        s.acknowledged(),
        s.retries(),
        s.errors());
    err.printf(
        Locale.ROOT,
        "  bad records         %,d%s%n",
        c.bad(),
        c.badByKind().isEmpty() ? "" : "  " + c.badByKind());
    err.printf(Locale.ROOT, "  duplicates          %,d%n", c.duplicates());
    err.printf(Locale.ROOT, "  out of order        %,d%n", c.disordered());
    err.printf(Locale.ROOT, "  late                %,d%n", c.late());
    if (replay != null) {
      err.printf(
          Locale.ROOT,
          "  replay rows         %,d  rejected %,d  blank %,d%n",
          replay.dataRows(),
          replay.rejectedRows(),
          replay.blankRows());
      if (replay.rejectedRows() > MAX_REPORTED_ROWS) {
        err.printf(
            Locale.ROOT, "  (only the first %d rejected rows were listed)%n", MAX_REPORTED_ROWS);
      }
    }
    if (stop.get()) {
      err.println("  stopped by signal; everything sent was flushed");
    }
    err.flush();
  }

  private String describeSink() {
    return config.sink().type().name().toLowerCase(Locale.ROOT)
        + (config.sink().target() == null ? "" : " " + config.sink().target())
        + (config.sink().topic() == null ? "" : "/" + config.sink().topic());
  }

  private static void closeQuietly(TickSink sink) {
    if (sink == null) {
      return;
    }
    try {
      sink.close();
    } catch (IOException | RuntimeException ignored) {
      // The first failure is the one reported.
    }
  }
}
