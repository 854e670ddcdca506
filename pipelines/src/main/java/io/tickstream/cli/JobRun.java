package io.tickstream.cli;

import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.StreamingPipeline;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.options.TickstreamOptions;
import io.tickstream.tick.TickErrorCode;
import io.tickstream.tick.TickTimestamps;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Runs one job with a live progress line on stderr and a summary at the end, read from the job's
 * Beam metrics (live through Flink's reporter when Flink runs embedded, through the pipeline result
 * otherwise).
 */
final class JobRun {
  private static final long PROGRESS_MILLIS = 2_000;

  private final TickstreamOptions options;
  private final StreamConfig config;
  private final boolean embeddedFlink;
  private final PrintWriter err;
  private final String name;
  private volatile PipelineResult result;

  JobRun(
      TickstreamOptions options,
      StreamConfig config,
      boolean embeddedFlink,
      PrintWriter err,
      String name) {
    this.options = options;
    this.config = config;
    this.embeddedFlink = embeddedFlink;
    this.err = err;
    this.name = name;
  }

  int run() throws Exception {
    LiveMetrics.clear();
    long start = System.nanoTime();
    err.printf(
        Locale.ROOT,
        "%s: %s -> %s on %s%n",
        name,
        config.source().describe(),
        config.lake().root(),
        embeddedFlink ? "embedded Flink" : options.getRunner().getSimpleName());
    err.flush();
    ExecutorService exec =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tickstream-job");
              t.setDaemon(true);
              return t;
            });
    Future<PipelineResult.State> job =
        exec.submit(
            () -> {
              PipelineResult r = StreamingPipeline.run(options, config);
              result = r;
              return r.waitUntilFinish();
            });
    Throwable failure = null;
    while (true) {
      try {
        job.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        progress(start);
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause();
        break;
      }
    }
    exec.shutdownNow();
    double secs = (System.nanoTime() - start) / 1e9;
    if (failure != null) {
      err.println(name + ": failed: " + rootMessage(failure));
      err.flush();
      return 1;
    }
    summary(result.metrics().allMetrics(), secs);
    return 0;
  }

  private long live(String metric) {
    if (embeddedFlink) {
      return LiveMetrics.counter(metric);
    }
    PipelineResult r = result;
    return r == null ? 0 : counter(r.metrics().queryMetrics(filter(metric)), metric);
  }

  private void progress(long start) {
    double secs = (System.nanoTime() - start) / 1e9;
    long ticks = live(PipelineMetrics.TICKS_IN);
    Long wm = embeddedFlink ? LiveMetrics.watermark("ComputeBars") : null;
    long opened = live(PipelineMetrics.POSITIONS_OPENED);
    long trades = live(PipelineMetrics.TRADES);
    err.printf(
        Locale.ROOT,
        "%s: ticks %,d (%,.0f/s)  watermark %s  bars %,d  signals %,d  open positions %,d  trades"
            + " %,d  dead letters %,d%n",
        name,
        ticks,
        ticks / secs,
        wm == null || wm < 0 || wm > 4_000_000_000_000L ? "-" : TickTimestamps.formatIso(wm),
        live(PipelineMetrics.BARS),
        live(PipelineMetrics.SIGNALS),
        opened - trades,
        trades,
        live(PipelineMetrics.DEAD_LETTERS));
    err.flush();
  }

  private void summary(MetricQueryResults m, double secs) {
    long in = counter(m, PipelineMetrics.TICKS_IN);
    long valid = counter(m, PipelineMetrics.TICKS_VALID);
    long dead = counter(m, PipelineMetrics.DEAD_LETTERS);
    long unique = counter(m, PipelineMetrics.TICKS_UNIQUE);
    long opened = counter(m, PipelineMetrics.POSITIONS_OPENED);
    long trades = counter(m, PipelineMetrics.TRADES);
    err.printf(
        Locale.ROOT,
        "%s: summary (%.1f s, %,.0f ticks/s)%n",
        name,
        secs,
        in / Math.max(secs, 1e-9));
    err.printf(
        Locale.ROOT,
        "  records read        %,d = %,d valid + %,d dead letters  [%s]%n",
        in,
        valid,
        dead,
        in == valid + dead ? "conserved" : "NOT CONSERVED");
    err.printf(
        Locale.ROOT,
        "  ticks (unique)      %,d  duplicates dropped %,d  late %,d%n",
        unique,
        valid - unique,
        counter(m, PipelineMetrics.LATE_TICKS));
    err.printf(Locale.ROOT, "  bars_1m             %,d%n", counter(m, PipelineMetrics.BARS));
    err.printf(Locale.ROOT, "  signals             %,d%n", counter(m, PipelineMetrics.SIGNALS));
    err.printf(
        Locale.ROOT,
        "  positions           %,d snapshots, %,d opened, %,d still open%n",
        counter(m, PipelineMetrics.POSITION_SNAPSHOTS),
        opened,
        opened - trades);
    err.printf(Locale.ROOT, "  trades              %,d%n", trades);
    StringBuilder reasons = new StringBuilder();
    for (TickErrorCode c : TickErrorCode.values()) {
      long n = counter(m, PipelineMetrics.DEAD_LETTER_PREFIX + c.name());
      if (n > 0) {
        reasons.append(reasons.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(n);
      }
    }
    err.printf(
        Locale.ROOT,
        "  dead letters        %,d%s%n",
        dead,
        reasons.length() == 0 ? "" : "  (" + reasons + ")");
    List<MetricResult<DistributionResult>> pnl = new ArrayList<>();
    for (MetricResult<DistributionResult> d : m.getDistributions()) {
      if (d.getName().getNamespace().equals(PipelineMetrics.PNL_NAMESPACE)) {
        pnl.add(d);
      }
    }
    pnl.sort(
        Comparator.comparingLong((MetricResult<DistributionResult> d) -> value(d).getSum())
            .reversed());
    if (!pnl.isEmpty()) {
      err.printf(
          Locale.ROOT,
          "  best by P&L         %s%n",
          pnlList(pnl.subList(0, Math.min(3, pnl.size()))));
      List<MetricResult<DistributionResult>> worst =
          new ArrayList<>(pnl.subList(Math.max(0, pnl.size() - 3), pnl.size()));
      java.util.Collections.reverse(worst);
      err.printf(Locale.ROOT, "  worst by P&L        %s%n", pnlList(worst));
    }
    err.printf(Locale.ROOT, "  lake                %s%n", config.lake().root());
    err.flush();
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

  private static MetricsFilter filter(String metric) {
    return MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(PipelineMetrics.NAMESPACE, metric))
        .build();
  }

  static long counter(MetricQueryResults m, String metric) {
    return PipelineMetrics.sum(m, metric);
  }

  private static <T> T value(MetricResult<T> r) {
    try {
      return r.getCommitted();
    } catch (UnsupportedOperationException e) {
      return r.getAttempted();
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root == t || String.valueOf(t.getMessage()).contains(String.valueOf(root.getMessage()))) {
      return String.valueOf(t.getMessage());
    }
    return t.getMessage() + " (cause: " + root + ")";
  }
}
