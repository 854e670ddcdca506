package io.tickstream.pipeline.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tickstream.pipeline.query.LakeQuery;
import io.tickstream.pipeline.query.ShippedQuery;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the report shows, read from the lake with SQL and written as the page's JSON: totals and
 * data-quality counts (from the shipped queries, so the page and {@code tickstream query} agree),
 * the strategies, each symbol's 1-minute closes and signals, and every closed trade.
 *
 * <p>The JSON is compact for a day of hundreds of symbols: per symbol the first bar's start in
 * epoch seconds, then each bar as minutes after it and its close; trades and signals as arrays.
 */
final class ReportData {
  /** Decimal places kept of prices on the charts (the trades table keeps the lake's values). */
  static final int CHART_PRICE_SCALE = 4;

  private static final Pattern SMA = Pattern.compile("sma_(\\d+)_(\\d+)");

  private final LakeQuery lake;

  ReportData(LakeQuery lake) {
    this.lake = lake;
  }

  /** Writes the report's data as one JSON object. */
  void write(JsonGenerator json, String lakeName, String generatedAt)
      throws IOException, SQLException {
    json.writeStartObject();
    json.writeStringField("lake", lakeName);
    json.writeStringField("generatedAt", generatedAt);
    writeTotals(json);
    writeQuality(json);
    List<String> strategies = writeStrategies(json);
    writeSymbols(json, strategies);
    writeTrades(json, strategies);
    json.writeEndObject();
  }

  private void writeTotals(JsonGenerator json) throws IOException, SQLException {
    String sql =
        "SELECT"
            + " (SELECT count(*) FROM ticks) AS ticks,"
            + " (SELECT count(DISTINCT symbol) FROM ticks) AS symbols,"
            + " (SELECT epoch_ms(min(\"timestamp\")) FROM ticks) AS first_tick,"
            + " (SELECT epoch_ms(max(\"timestamp\")) FROM ticks) AS last_tick,"
            + " (SELECT count(*) FROM bars_1m) AS bars,"
            + " (SELECT count(*) FROM signals) AS signals,"
            + " (SELECT count(*) FROM positions) AS position_marks,"
            + " (SELECT count(*) FROM trades) AS trades,"
            + " (SELECT count(*) FROM trades WHERE pnl > 0) AS winners,"
            + " (SELECT coalesce(sum(pnl), 0) FROM trades) AS total_pnl";
    json.writeObjectFieldStart("totals");
    writeRow(json, lake.rows(sql, List.of()).get(0));
    json.writeEndObject();
  }

  /** Dead letters by reason, late ticks and duplicate copies, from the shipped queries. */
  private void writeQuality(JsonGenerator json) throws IOException, SQLException {
    json.writeObjectFieldStart("quality");
    json.writeArrayFieldStart("deadLetters");
    for (Map<String, Object> row :
        lake.rows(
            "SELECT error_code, sum(records) AS records FROM "
                + shipped("dead_letters_by_reason")
                + " GROUP BY error_code ORDER BY records DESC, error_code",
            List.of())) {
      json.writeStartObject();
      writeRow(json, row);
      json.writeEndObject();
    }
    json.writeEndArray();
    writeRow(
        json,
        lake.rows(
                "SELECT coalesce(sum(late), 0) AS late FROM " + shipped("late_ticks_by_hour"),
                List.of())
            .get(0));
    writeRow(
        json,
        lake.rows(
                "SELECT coalesce(sum(copies - 1), 0) AS duplicate_copies,"
                    + " count(*) AS duplicated_ids FROM "
                    + shipped("duplicate_ticks"),
                List.of())
            .get(0));
    json.writeEndObject();
  }

  /**
   * The strategies in the lake with their moving-average windows (from names like {@code sma_5_20})
   * and their results over every symbol; returns their names in the order written.
   */
  private List<String> writeStrategies(JsonGenerator json) throws IOException, SQLException {
    List<Map<String, Object>> rows =
        lake.rows(
            "SELECT s.strategy, coalesce(t.trades, 0) AS trades, coalesce(t.winners, 0) AS"
                + " winners, coalesce(t.total_pnl, 0) AS total_pnl, t.avg_pnl, t.best_trade,"
                + " t.worst_trade"
                + " FROM (SELECT strategy FROM signals UNION SELECT strategy FROM trades) s"
                + " LEFT JOIN (SELECT strategy, count(*) AS trades, count(*) FILTER (WHERE pnl >"
                + " 0) AS winners, sum(pnl) AS total_pnl, avg(pnl) AS avg_pnl, max(pnl) AS"
                + " best_trade, min(pnl) AS worst_trade FROM trades GROUP BY strategy) t"
                + " ON t.strategy = s.strategy ORDER BY s.strategy",
            List.of());
    List<String> names = new ArrayList<>();
    json.writeArrayFieldStart("strategies");
    for (Map<String, Object> row : rows) {
      String name = (String) row.get("strategy");
      names.add(name);
      json.writeStartObject();
      writeRow(json, row);
      Matcher sma = SMA.matcher(name);
      if (sma.matches()) {
        json.writeNumberField("fast", Integer.parseInt(sma.group(1)));
        json.writeNumberField("slow", Integer.parseInt(sma.group(2)));
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    return names;
  }

  /**
   * Per symbol: {@code t0} (the first bar's start, epoch seconds), {@code m} (each bar's start in
   * minutes after t0), {@code close}, and {@code signals} as {@code [bar index, 1 for BUY or -1 for
   * SELL, strategy index]}.
   */
  private void writeSymbols(JsonGenerator json, List<String> strategies)
      throws IOException, SQLException {
    Map<String, List<long[]>> signalsBySymbol = new HashMap<>();
    for (Map<String, Object> row :
        lake.rows(
            "SELECT symbol, strategy, epoch_ms(ts) AS ts, side FROM signals"
                + " ORDER BY symbol, ts, strategy",
            List.of())) {
      signalsBySymbol
          .computeIfAbsent((String) row.get("symbol"), s -> new ArrayList<>())
          .add(
              new long[] {
                ((Number) row.get("ts")).longValue(),
                "BUY".equals(row.get("side")) ? 1 : -1,
                strategies.indexOf((String) row.get("strategy"))
              });
    }
    json.writeArrayFieldStart("symbols");
    try (PreparedStatement s =
            lake.prepare(
                "SELECT symbol, epoch_ms(window_start) AS start_ms, epoch_ms(window_end) AS end_ms,"
                    + " close FROM bars_1m ORDER BY symbol, window_start",
                List.of());
        ResultSet rs = s.executeQuery()) {
      SymbolSeries series = null;
      while (rs.next()) {
        String symbol = rs.getString(1);
        if (series == null || !series.symbol.equals(symbol)) {
          if (series != null) {
            series.write(json, signalsBySymbol.remove(series.symbol));
          }
          series = new SymbolSeries(symbol, rs.getLong(2));
        }
        series.add(rs.getLong(2), rs.getLong(3), rs.getDouble(4));
      }
      if (series != null) {
        series.write(json, signalsBySymbol.remove(series.symbol));
      }
    }
    json.writeEndArray();
  }

  /** Every closed trade as an array in {@code tradeColumns} order, by exit time. */
  private void writeTrades(JsonGenerator json, List<String> strategies)
      throws IOException, SQLException {
    String[] columns = {
      "trade_id",
      "symbol",
      "strategy",
      "qty",
      "entry_time",
      "entry_price",
      "exit_time",
      "exit_price",
      "pnl",
      "return_pct",
      "holding_seconds"
    };
    json.writeArrayFieldStart("tradeColumns");
    for (String c : columns) {
      json.writeString(c);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("trades");
    try (PreparedStatement s =
            lake.prepare(
                "SELECT trade_id, symbol, strategy, qty, epoch_ms(entry_time), entry_price,"
                    + " epoch_ms(exit_time), exit_price, pnl, return_pct, holding_seconds"
                    + " FROM trades ORDER BY exit_time, trade_id, strategy",
                List.of());
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        json.writeStartArray();
        json.writeString(rs.getString(1));
        json.writeString(rs.getString(2));
        json.writeNumber(strategies.indexOf(rs.getString(3)));
        json.writeNumber(rs.getLong(4));
        json.writeNumber(rs.getLong(5));
        json.writeNumber(rs.getDouble(6));
        json.writeNumber(rs.getLong(7));
        json.writeNumber(rs.getDouble(8));
        json.writeNumber(rs.getDouble(9));
        json.writeNumber(rs.getDouble(10));
        json.writeNumber(rs.getLong(11));
        json.writeEndArray();
      }
    }
    json.writeEndArray();
  }

  /** One symbol's bars as they are read, in start order. */
  private static final class SymbolSeries {
    final String symbol;
    final long t0;
    final List<Integer> minutes = new ArrayList<>();
    final List<Double> closes = new ArrayList<>();
    final Map<Long, Integer> barByEnd = new LinkedHashMap<>();

    SymbolSeries(String symbol, long firstStartMs) {
      this.symbol = symbol;
      this.t0 = firstStartMs;
    }

    void add(long startMs, long endMs, double close) {
      barByEnd.put(endMs, minutes.size());
      minutes.add((int) ((startMs - t0) / 60_000));
      closes.add(close);
    }

    /** A signal is drawn on the bar that decided it: the bar whose end is the signal's time. */
    void write(JsonGenerator json, List<long[]> signals) throws IOException {
      json.writeStartObject();
      json.writeStringField("symbol", symbol);
      json.writeNumberField("t0", t0 / 1000);
      json.writeArrayFieldStart("m");
      for (int m : minutes) {
        json.writeNumber(m);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("close");
      for (double c : closes) {
        json.writeNumber(
            BigDecimal.valueOf(c)
                .setScale(CHART_PRICE_SCALE, RoundingMode.HALF_EVEN)
                .stripTrailingZeros());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("signals");
      for (long[] signal : signals == null ? List.<long[]>of() : signals) {
        Integer bar = barByEnd.get(signal[0]);
        if (bar != null) {
          json.writeArray(new long[] {bar, signal[1], signal[2]}, 0, 3);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /** A shipped query as a parenthesised subquery. */
  private static String shipped(String name) {
    return "(\n" + ShippedQuery.named(name).statement() + "\n)";
  }

  private static void writeRow(JsonGenerator json, Map<String, Object> row) throws IOException {
    for (Map.Entry<String, Object> e : row.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        json.writeNullField(e.getKey());
      } else if (v instanceof Number n) {
        if (n instanceof Double || n instanceof Float) {
          json.writeNumberField(e.getKey(), n.doubleValue());
        } else {
          json.writeNumberField(e.getKey(), new BigDecimal(n.toString()));
        }
      } else {
        json.writeStringField(e.getKey(), v.toString());
      }
    }
  }
}
