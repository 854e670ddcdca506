package io.tickstream.generator.replay;

import java.util.Map;
import javax.annotation.Nullable;

/**
 * How to read a price history file.
 *
 * @param columnOverrides tick field to header name, e.g. {@code price=Adj Close}; fields are {@code
 *     symbol, timestamp, price, volume, market_cap, pe_ratio}
 * @param dateFormat a {@link java.time.format.DateTimeFormatter} pattern such as {@code
 *     dd/MM/yyyy}, or null for ISO-8601 dates and date-times
 * @param delimiter the cell separator, or null to detect it from the header (comma, tab, semicolon,
 *     pipe)
 * @param symbol the symbol of every row when the file has no symbol column, or null
 * @param rebaseStartMillis with {@code stepMillis}: event time of each symbol's first row
 * @param stepMillis when set, row n of a symbol gets {@code rebaseStartMillis + n x stepMillis}
 *     instead of its own date, so that years of daily closes replay as minutes; null keeps the
 *     dates
 */
public record ReplayConfig(
    Map<String, String> columnOverrides,
    @Nullable String dateFormat,
    @Nullable Character delimiter,
    @Nullable String symbol,
    long rebaseStartMillis,
    @Nullable Long stepMillis) {

  /** Tick fields a column can be mapped to. */
  public static final java.util.Set<String> FIELDS =
      java.util.Set.of("symbol", "timestamp", "price", "volume", "market_cap", "pe_ratio");

  public ReplayConfig {
    columnOverrides = Map.copyOf(columnOverrides);
    for (String field : columnOverrides.keySet()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "'" + field + "' is not a tick field; one of " + new java.util.TreeSet<>(FIELDS));
      }
    }
    if (stepMillis != null && stepMillis <= 0) {
      throw new IllegalArgumentException(
          "the replay step must be positive, got " + stepMillis + " ms");
    }
  }
}
