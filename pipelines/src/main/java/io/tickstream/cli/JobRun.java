package io.tickstream.cli;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.tick.TickErrorCode;
import io.tickstream.tick.TickTimestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobCancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs one job with a live progress line on stderr and a summary at the end, read from the job's
 * Beam metrics (live through Flink's reporter when Flink runs embedded, through the pipeline result
 * otherwise).
 *
 * <p>SIGINT (Ctrl-C) or SIGTERM stops the job cleanly and prints the same summary: on Flink the job
 * is stopped with a savepoint and drained (its sources stop, the watermark goes to the end, every
 * window is written), so every record it read is in the lake or the dead letters and the summary
 * balances; on the DirectRunner it is cancelled. A second signal cancels at once. A job
 * cancelled on its cluster is summarised as cancelled, from the counts it last reported. A
 * failure while running is one line with the root cause and where the full log is; the stack
 * trace goes to the log, and to stderr too with {@code --verbose}.
 */
final class JobRun {
  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
  private static final long PROGRESS_MILLIS = 2_000;

  /**
   * A job ready to start, every setting checked.
   *
   * @param name the command, for messages ({@code tickstream stream})
   * @param source where it reads, as written ({@code kafka:127.0.0.1:9092/ticks})
   * @param lake where it writes
   * @param config the checked configuration the job is built from ({@code StreamConfig} for {@code
   *     stream})
   * @param options the pipeline options, runner defaults applied
   * @param engine what runs it
   * @param start builds and starts the pipeline; returns its result (on Flink: when it ended)
   * @param leftovers removes what stopped runs of the job's lake writer left staged; null when the
   *     job stages nothing a stopped run could leave
   * @param verbose whether failures print their stack trace too
   */
  record Job(
      String name,
      String source,
      String lake,
      Object config,
      PipelineOptions options,
      RunnerDefaults.Engine engine,
      Function<PipelineOptions, PipelineResult> start,
      @Nullable LeftoverFiles leftovers,
      boolean verbose) {}

  /** Removes the files stopped runs left staged in the lake; returns how many. */
  interface LeftoverFiles {
    long clear(PipelineOptions options) throws IOException;
  }

  /** Watermarks past this (year 2096) are Beam's end of time or a runner's "no data yet". */
  private static final long LAST_PLAUSIBLE_WATERMARK = 4_000_000_000_000L;

  private final Job job;
  private final PrintWriter err;
  private final AtomicInteger signals = new AtomicInteger();
  private volatile @Nullable PipelineResult result;
  private volatile @Nullable String stoppedBy;
  private volatile @Nullable String savepoint;

  JobRun(Job job, PrintWriter err) {
    this.job = job;
    this.err = err;
  }

  int run() throws Exception {
    LiveMetrics.clear();
    FlinkJobs.forget();
    long start = System.nanoTime();
    String log = LogFile.current();
    err.printf(
        Locale.ROOT,
        "%s: %s -> %s on %s%s%n",
        job.name(),
        job.source(),
        job.lake(),
        job.engine().describe(job.options()),
        log == null ? "" : " (log: " + log + ")");
    err.flush();
    // A resumed run renames the files its restored state names: only a fresh start clears them.
    if (job.options().as(FlinkPipelineOptions.class).getSavepointPath() == null) {
      long removed = clearTempFiles();
      if (removed > 0) {
        err.printf(
            Locale.ROOT,
            "%s: removed %,d %s that stopped runs left staged in the lake%n",
            job.name(),
            removed,
            removed == 1 ? "file" : "files");
        err.flush();
      }
    }
    ExecutorService exec =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tickstream-job");
              t.setDaemon(true);
              return t;
            });
    Map<Signal, SignalHandler> previous = installSignalHandlers();
    Throwable failure = null;
    PipelineResult.State ended = null;
    try {
      Future<PipelineResult.State> running =
          exec.submit(
              () -> {
                PipelineResult r = job.start().apply(job.options());
                result = r;
                return r.waitUntilFinish();
              });
      while (true) {
        try {
          ended = running.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          progress(start);
        } catch (ExecutionException e) {
          failure = e.getCause();
          break;
        }
      }
    } finally {
      previous.forEach(Signal::handle);
      exec.shutdownNow();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    if (failure != null && stoppedBy == null && cancelledOnTheCluster(failure)) {
      stoppedBy = "a cancel on the cluster (Flink's REST API, web UI or CLI)";
    }
    if (failure != null && stoppedBy == null) {
      LOG.error("{} failed", job.name(), failure);
      err.println(
          job.name()
              + ": failed: "
              + rootMessage(failure)
              + (log == null ? "" : " (full log: " + log + ")"));
      if (job.verbose()) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        err.print(trace);
      }
      err.flush();
      return 1;
    }
    if (failure != null) {
      LOG.info("{} was cancelled after {}", job.name(), stoppedBy, failure);
    }
    // A cancelled job either throws (Flink) or ends CANCELLED (DirectRunner, PortableRunner).
    boolean cancelled = failure != null || ended == PipelineResult.State.CANCELLED;
    // Done: every window is written and no state is left that names a staged file.
    long leftByAttempts = ended == PipelineResult.State.DONE ? clearTempFiles() : 0;
    summary(counts(!cancelled), secs, cancelled, leftByAttempts);
    return 0;
  }

  /** Whether {@code failure} says the job was cancelled by someone other than this client. */
  private static boolean cancelledOnTheCluster(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JobCancellationException) {
        return true;
      }
    }
    return false;
  }

  /** Makes SIGINT and SIGTERM stop the job, a second one cancel it; returns what they replaced. */
  private Map<Signal, SignalHandler> installSignalHandlers() {
    Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal signal = new Signal(name);
        previous.put(signal, Signal.handle(signal, s -> onSignal(s.getName())));
      } catch (IllegalArgumentException e) {
        // Not available on this platform, or the JVM's own: nothing to install.
      }
    }
    return previous;
  }

  private void onSignal(String name) {
    int n = signals.incrementAndGet();
    Thread t = new Thread(() -> stop(name, n > 1), "tickstream-stop");
    t.setDaemon(true);
    t.start();
  }

  /** Drains (first signal) or cancels (second signal, or nothing to drain) the running job. */
  private void stop(String signal, boolean cancel) {
    stoppedBy = "SIG" + signal;
    JobClient flink = FlinkJobs.current();
    try {
      if (flink != null && !cancel) {
        err.printf(
            "%s: stopping (SIG%s): the sources stop, every window is written; again to cancel%n",
            job.name(), signal);
        err.flush();
        Path dir = Files.createTempDirectory("tickstream-savepoint");
        try {
          savepoint =
              flink
                  .stopWithSavepoint(true, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                  .get();
          return;
        } catch (ExecutionException e) {
          LOG.warn("stop with savepoint failed; cancelling", e);
          err.printf(
              "%s: the job cannot be drained (%s); cancelling%n",
              job.name(), rootMessage(e.getCause()));
          err.flush();
        }
      } else {
        err.printf("%s: cancelling (SIG%s)%n", job.name(), signal);
        err.flush();
      }
      if (flink != null) {
        flink.cancel().get();
      } else if (result != null) {
        result.cancel();
      }
    } catch (Exception e) {
      LOG.warn("stopping the job failed", e);
    }
  }

  /** A metric's value: the finished job's, or (after a cancel) the last the job reported. */
  private interface Counts {
    long counter(String name);

    /** Realised P&L per symbol, best first; empty when unknown. */
    List<MetricResult<DistributionResult>> pnl();
  }

  private Counts counts(boolean finished) {
    PipelineResult r = result;
    if (r != null) {
      try {
        MetricQueryResults m = r.metrics().allMetrics();
        return new Counts() {
          @Override
          public long counter(String name) {
            return PipelineMetrics.sum(m, name);
          }

          @Override
          public List<MetricResult<DistributionResult>> pnl() {
            List<MetricResult<DistributionResult>> out = new ArrayList<>();
            for (MetricResult<DistributionResult> d : m.getDistributions()) {
              if (d.getName().getNamespace().equals(PipelineMetrics.PNL_NAMESPACE)) {
                out.add(d);
              }
            }
            out.sort(
                Comparator.comparingLong((MetricResult<DistributionResult> d) -> value(d).getSum())
                    .reversed());
            return out;
          }
        };
      } catch (RuntimeException e) {
        LOG.warn("the job's metrics cannot be read{}", finished ? "" : " after the cancel", e);
      }
    }
    return new Counts() {
      @Override
      public long counter(String name) {
        return LiveMetrics.counter(name);
      }

      @Override
      public List<MetricResult<DistributionResult>> pnl() {
        return List.of();
      }
    };
  }

  private long live(String metric) {
    if (job.engine() == RunnerDefaults.Engine.EMBEDDED_FLINK) {
      return LiveMetrics.counter(metric);
    }
    PipelineResult r = result;
    if (r == null) {
      return 0;
    }
    try {
      return PipelineMetrics.sum(r, metric);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private void progress(long start) {
    double secs = (System.nanoTime() - start) / 1e9;
    if (job.engine() == RunnerDefaults.Engine.FLINK_CLUSTER) {
      clusterProgress(secs);
      return;
    }
    long ticks = live(PipelineMetrics.TICKS_IN);
    Long wm =
        job.engine() == RunnerDefaults.Engine.EMBEDDED_FLINK
            ? LiveMetrics.watermark("ComputeBars")
            : null;
    long opened = live(PipelineMetrics.POSITIONS_OPENED);
    long trades = live(PipelineMetrics.TRADES);
    err.printf(
        Locale.ROOT,
        "%s: ticks %,d (%,.0f/s)  watermark %s  bars %,d  signals %,d  open positions %,d  trades"
            + " %,d  dead letters %,d%n",
        job.name(),
        ticks,
        ticks / secs,
        wm == null || wm < 0 || wm > LAST_PLAUSIBLE_WATERMARK ? "-" : TickTimestamps.formatIso(wm),
        live(PipelineMetrics.BARS),
        live(PipelineMetrics.SIGNALS),
        opened - trades,
        trades,
        live(PipelineMetrics.DEAD_LETTERS));
    err.flush();
  }

  /**
   * On a cluster the job's metrics live there (its UI and reporters show them; the summary reads
   * them at the end): the job id and where to watch it, once submitted.
   */
  private void clusterProgress(double secs) {
    JobClient client = FlinkJobs.current();
    if (client == null) {
      err.printf(Locale.ROOT, "%s: submitting (%.0f s)%n", job.name(), secs);
    } else {
      err.printf(
          Locale.ROOT,
          "%s: job %s running on the cluster for %.0f s; Flink UI %s%n",
          job.name(),
          client.getJobID(),
          secs,
          flinkUi(job.options(), client.getJobID().toString()));
    }
    err.flush();
  }

  /** The Flink web UI's page of a job on the cluster at {@code --flinkMaster}. */
  static String flinkUi(PipelineOptions options, String jobId) {
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    String base = master.contains("://") ? master : "http://" + master;
    return base.replaceAll("/+$", "") + "/#/job/running/" + jobId + "/overview";
  }

  /** Clears the job's staged leftovers; a failure to is logged, and leaves them for next time. */
  private long clearTempFiles() {
    LeftoverFiles leftovers = job.leftovers();
    if (leftovers == null) {
      return 0;
    }
    try {
      return leftovers.clear(job.options());
    } catch (IOException | RuntimeException e) {
      LOG.warn("the files stopped runs left staged in {} cannot be removed", job.lake(), e);
      return 0;
    }
  }

  private void summary(Counts m, double secs, boolean cancelled, long leftByAttempts) {
    long read = m.counter(PipelineMetrics.RECORDS_READ);
    long valid = m.counter(PipelineMetrics.TICKS_VALID);
    long dead = m.counter(PipelineMetrics.DEAD_LETTERS);
    long blank = m.counter(PipelineMetrics.BLANK_LINES);
    long unique = m.counter(PipelineMetrics.TICKS_UNIQUE);
    long opened = m.counter(PipelineMetrics.POSITIONS_OPENED);
    long trades = m.counter(PipelineMetrics.TRADES);
    // A job that reads no ticks (compact) rewrites lake rows: its summary is of those.
    boolean readsTicks = read > 0 || m.counter(PipelineMetrics.LAKE_ROWS_WRITTEN) == 0;
    err.printf(
        Locale.ROOT,
        "%s: summary (%.1f s, %,.0f %s/s)%n",
        job.name(),
        secs,
        (readsTicks ? read : m.counter(PipelineMetrics.LAKE_ROWS_WRITTEN)) / Math.max(secs, 1e-9),
        readsTicks ? "ticks" : "rows");
    if (readsTicks) {
      tickLines(m, read, valid, dead, blank, unique, opened, trades);
    }
    long rowsIn = m.counter(PipelineMetrics.LAKE_ROWS_IN);
    long rowsWritten = m.counter(PipelineMetrics.LAKE_ROWS_WRITTEN);
    err.printf(
        Locale.ROOT,
        "  lake rows           %,d written%s%n",
        rowsWritten,
        rowsIn == rowsWritten
            ? ""
            : String.format(
                Locale.ROOT,
                cancelled
                    ? " of %,d handed to the writer (the rest were in flight)"
                    : " of %,d: %,d came later than --lake-allowed-lateness and were dropped",
                rowsIn,
                rowsIn - rowsWritten));
    long notWritten = m.counter(PipelineMetrics.ROWS_OUTSIDE_RANGE);
    if (notWritten > 0) {
      err.printf(
          Locale.ROOT,
          "  warm-up rows        %,d computed outside the days written, not written%n",
          notWritten);
    }
    long committed = m.counter(PipelineMetrics.PARTITIONS_COMMITTED);
    if (committed > 0) {
      err.printf(Locale.ROOT, "  partitions          %,d committed (_SUCCESS)%n", committed);
    }
    List<MetricResult<DistributionResult>> pnl = m.pnl();
    if (!pnl.isEmpty()) {
      err.printf(
          Locale.ROOT,
          "  best by P&L         %s%n",
          pnlList(pnl.subList(0, Math.min(3, pnl.size()))));
      List<MetricResult<DistributionResult>> worst =
          new ArrayList<>(pnl.subList(Math.max(0, pnl.size() - 3), pnl.size()));
      Collections.reverse(worst);
      err.printf(Locale.ROOT, "  worst by P&L        %s%n", pnlList(worst));
    }
    err.printf(Locale.ROOT, "  lake                %s%n", job.lake());
    if (leftByAttempts > 0) {
      err.printf(
          Locale.ROOT,
          "  staged files        %,d left by failed attempts, removed%n",
          leftByAttempts);
    }
    if (stoppedBy != null) {
      err.printf(
          Locale.ROOT,
          "  stopped by          %s: %s%n",
          stoppedBy,
          cancelled
              ? "cancelled; what was read since the last checkpoint is read again on the next start"
                  + " (Kafka offsets, Kinesis from the savepoint or the stream's start)"
              : "drained; savepoint " + savepoint);
    }
    err.flush();
  }

  /** What a job that reads ticks did with them, line by line. */
  private void tickLines(
      Counts m,
      long read,
      long valid,
      long dead,
      long blank,
      long unique,
      long opened,
      long trades) {
    long outside = m.counter(PipelineMetrics.RECORDS_OUTSIDE_RANGE);
    err.printf(
        Locale.ROOT,
        "  records read        %,d = %,d valid + %,d dead letters%s%s  [%s]%n",
        read,
        valid,
        dead,
        blank == 0 ? "" : String.format(Locale.ROOT, " + %,d blank lines", blank),
        outside == 0
            ? ""
            : String.format(Locale.ROOT, " + %,d outside the days and their warm-up", outside),
        read == valid + dead + blank + outside ? "conserved" : "NOT CONSERVED");
    err.printf(
        Locale.ROOT,
        "  ticks (unique)      %,d  duplicates dropped %,d  late %,d%n",
        unique,
        valid - unique,
        m.counter(PipelineMetrics.LATE_TICKS));
    err.printf(Locale.ROOT, "  bars_1m             %,d%n", m.counter(PipelineMetrics.BARS));
    err.printf(Locale.ROOT, "  signals             %,d%n", m.counter(PipelineMetrics.SIGNALS));
    err.printf(
        Locale.ROOT,
        "  positions           %,d snapshots, %,d opened, %,d still open%n",
        m.counter(PipelineMetrics.POSITION_SNAPSHOTS),
        opened,
        opened - trades);
    err.printf(Locale.ROOT, "  trades              %,d%n", trades);
    StringBuilder reasons = new StringBuilder();
    for (TickErrorCode c : TickErrorCode.values()) {
      long n = m.counter(PipelineMetrics.DEAD_LETTER_PREFIX + c.name());
      if (n > 0) {
        reasons.append(reasons.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(n);
      }
    }
    err.printf(
        Locale.ROOT,
        "  dead letters        %,d%s%n",
        dead,
        reasons.length() == 0 ? "" : "  (" + reasons + ")");
  }

  private static String pnlList(List<MetricResult<DistributionResult>> list) {
    StringBuilder sb = new StringBuilder();
    for (MetricResult<DistributionResult> d : list) {
      DistributionResult v = value(d);
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%s %+,.2f (%d trades)",
                  d.getName().getName(),
                  v.getSum() / 100.0,
                  v.getCount()));
    }
    return sb.toString();
  }

  private static <T> T value(MetricResult<T> r) {
    try {
      return r.getCommitted();
    } catch (UnsupportedOperationException e) {
      return r.getAttempted();
    }
  }

  /** The exception's first line, with its root cause where the message does not already say it. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = firstLine(t.getMessage() == null ? t.toString() : t.getMessage());
    if (root == t || (root.getMessage() != null && top.contains(firstLine(root.getMessage())))) {
      return top;
    }
    return top + " (cause: " + firstLine(root.toString()) + ")";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
