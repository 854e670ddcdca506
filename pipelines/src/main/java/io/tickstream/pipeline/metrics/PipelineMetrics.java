package io.tickstream.pipeline.metrics;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The Beam metrics the pipeline reports about itself, in one namespace. The progress line, the run
 * summary and Flink's metric reporters all read these names.
 */
public final class PipelineMetrics {
  /** Namespace of every tickstream metric. */
  public static final String NAMESPACE = "tickstream";

  /**
   * Records the source read: Kafka or Kinesis records, generator records, file lines (blank ones
   * included). Each is a valid tick, a dead letter or a blank line: {@code records_read =
   * ticks_valid + dead_letters + blank_lines}, which the summary checks.
   */
  public static final String RECORDS_READ = "records_read";

  /**
   * Whitespace-only lines of the file source, counted rather than parsed as ticks, so a file's
   * lines are its ticks, dead letters and blank lines.
   */
  public static final String BLANK_LINES = "blank_lines";

  /** Records into the parser: {@code records_read - blank_lines}. */
  public static final String TICKS_IN = "ticks_in";

  public static final String TICKS_VALID = "ticks_valid";
  public static final String DEAD_LETTERS = "dead_letters";

  /** Prefix of the per-reason dead-letter counters, e.g. {@code dead_letter_MALFORMED_JSON}. */
  public static final String DEAD_LETTER_PREFIX = "dead_letter_";

  public static final String TICKS_UNIQUE = "ticks_unique";
  public static final String LATE_TICKS = "late_ticks";
  public static final String BARS = "bars";
  public static final String SIGNALS = "signals";
  public static final String POSITIONS_OPENED = "positions_opened";
  public static final String POSITION_SNAPSHOTS = "position_snapshots";
  public static final String TRADES = "trades";

  /** Positions written to the DynamoDB positions table (opens and marks). */
  public static final String POSITIONS_TABLE_UPSERTS = "positions_table_upserts";

  /** Positions deleted from the DynamoDB positions table (closes). */
  public static final String POSITIONS_TABLE_DELETES = "positions_table_deletes";

  /**
   * Upserts the positions table refused because it already held a later mark of the position: a
   * change replayed after a retry, already applied. Zero in a run without failures.
   */
  public static final String POSITIONS_TABLE_STALE = "positions_table_stale";

  /** Dead letters in the counts CloudWatch took ({@code PublishDeadLetterCounts}). */
  public static final String DEAD_LETTER_METRICS_SENT = "dead_letter_metrics_sent";

  /**
   * Dead letters in the counts CloudWatch did not take after the AWS SDK's retries: dropped, and
   * logged with the reason (the dead letters themselves are in the lake).
   */
  public static final String DEAD_LETTER_METRICS_FAILED = "dead_letter_metrics_failed";

  /** Rows handed to the lake writer, all datasets. */
  public static final String LAKE_ROWS_IN = "lake_rows_in";

  /**
   * Rows the lake writer wrote into Parquet files, all datasets. At the end of a run, {@code
   * lake_rows_in - lake_rows_written} are the rows that came later than {@code
   * --lake-allowed-lateness} behind the watermark, which the windowed write drops.
   */
  public static final String LAKE_ROWS_WRITTEN = "lake_rows_written";

  /**
   * Records a backfill read but left out before parsing: their event time is outside {@code
   * --from}..{@code --to} and its warm-up.
   */
  public static final String RECORDS_OUTSIDE_RANGE = "records_outside_range";

  /**
   * Rows a backfill computed for its warm-up, before {@code --from}, or after {@code --to}, and
   * did not write: those partitions are not the backfill's to replace.
   */
  public static final String ROWS_OUTSIDE_RANGE = "rows_outside_range";

  /** Leaf partitions committed with a {@code _SUCCESS} marker. */
  public static final String PARTITIONS_COMMITTED = "lake_partitions_committed";

  /** Distribution of (wall time at parse - event time) in milliseconds. */
  public static final String EVENT_TIME_LAG_MS = "event_time_lag_ms";

  /** Distribution of (wall time a bar is emitted - its window end) in milliseconds. */
  public static final String BAR_DELAY_MS = "bar_delay_ms";

  /** Namespace of the per-symbol realised P&L distributions, in cents; the name is the symbol. */
  public static final String PNL_NAMESPACE = "tickstream_pnl_cents";

  private PipelineMetrics() {}

  /** Realised P&L of one symbol's trades, in cents: its sum is the symbol's total. */
  public static Distribution pnlCents(String symbol) {
    return Metrics.distribution(PNL_NAMESPACE, symbol);
  }

  /**
   * A tickstream counter's value summed over steps: committed where the runner has it, else
   * attempted.
   */
  public static long sum(MetricQueryResults results, String name) {
    long sum = 0;
    for (MetricResult<Long> c : results.getCounters()) {
      if (c.getName().getNamespace().equals(NAMESPACE) && c.getName().getName().equals(name)) {
        try {
          sum += c.getCommitted();
        } catch (UnsupportedOperationException e) {
          sum += c.getAttempted();
        }
      }
    }
    return sum;
  }

  /** A tickstream counter of a run, summed over steps. */
  public static long sum(PipelineResult result, String name) {
    return sum(
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(NAMESPACE, name))
                    .build()),
        name);
  }

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  public static Distribution distribution(String name) {
    return Metrics.distribution(NAMESPACE, name);
  }
}
