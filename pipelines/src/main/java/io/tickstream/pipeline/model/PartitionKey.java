package io.tickstream.pipeline.model;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.joda.time.Instant;

/**
 * A Hive-style partition column of the lake ({@code dt=2025-01-02/hour=14}), derived from a
 * record's partition time in UTC.
 *
 * <p>The column name and the {@link #pattern()} are what later catalogs declare (e.g. Athena
 * partition projection formats), so they must not change once data is written. Readers should
 * declare the partition types rather than infer them: DuckDB 1.4 infers {@code hour} as {@code
 * VARCHAR} when a value has a leading zero ({@code hour=07}) and as {@code BIGINT} otherwise, so
 * {@code read_parquet(..., hive_partitioning = true, hive_types = {'dt': DATE, 'hour': INTEGER})}.
 */
public enum PartitionKey {
  /** The UTC date, e.g. {@code dt=2025-01-02}. */
  DT("dt", "yyyy-MM-dd"),
  /** The UTC hour of the day, two digits, e.g. {@code hour=07}. */
  HOUR("hour", "HH");

  private final String column;
  private final String pattern;
  private final DateTimeFormatter formatter;

  PartitionKey(String column, String pattern) {
    this.column = column;
    this.pattern = pattern;
    this.formatter = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
  }

  /** The partition column's name, e.g. {@code dt}. */
  public String column() {
    return column;
  }

  /** The value's {@link DateTimeFormatter} pattern, in UTC, e.g. {@code yyyy-MM-dd}. */
  public String pattern() {
    return pattern;
  }

  /** The value for a partition time, e.g. {@code 2025-01-02}. */
  public String value(Instant time) {
    return formatter.format(java.time.Instant.ofEpochMilli(time.getMillis()));
  }

  /** The path segment for a partition time, e.g. {@code dt=2025-01-02}. */
  public String segment(Instant time) {
    return column + "=" + value(time);
  }
}
