package io.tickstream.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The point of compaction: one aggregate analysts run (average price and count per symbol for one
 * day) in DuckDB over the raw landing JSON and over the lake's Parquet, best of {@code RUNS} each,
 * with the ratio. Both answers are printed so they can be compared.
 *
 * <pre>{@code
 * benchmarks/run LakeQueryBenchmark 'LANDING_GLOB' LAKE_DIR DAY [RUNS=5]
 * }</pre>
 */
public final class LakeQueryBenchmark {
  private LakeQueryBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: LakeQueryBenchmark LANDING_GLOB LAKE_DIR DAY [RUNS=5]");
      System.exit(2);
    }
    String landing = args[0];
    String lake = args[1];
    String day = args[2];
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    String raw =
        "SELECT symbol, avg(price) AS avg_price, count(*) AS n FROM read_json('"
            + landing.replace("'", "''")
            + "', format = 'newline_delimited', ignore_errors = true, columns = {event_id:"
            + " 'VARCHAR', symbol: 'VARCHAR', price: 'DOUBLE', volume: 'BIGINT', timestamp:"
            + " 'TIMESTAMPTZ', market_cap: 'DOUBLE', pe_ratio: 'DOUBLE'}) WHERE CAST(timestamp AS"
            + " DATE) = DATE '"
            + day
            + "' AND symbol IS NOT NULL GROUP BY symbol ORDER BY symbol";
    String parquet =
        "SELECT symbol, avg(price) AS avg_price, count(*) AS n FROM read_parquet('"
            + lake.replace("'", "''")
            + "/ticks/dt="
            + day
            + "/*/*.parquet', hive_partitioning = true) GROUP BY symbol ORDER BY symbol";
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = db.createStatement()) {
        s.execute("SET TimeZone = 'UTC'");
      }
      Result json = best(db, raw, runs);
      Result lakeResult = best(db, parquet, runs);
      System.out.printf(
          Locale.ROOT, "raw landing JSON   %8.1f ms  %s%n", json.millis, json.summary());
      System.out.printf(
          Locale.ROOT,
          "lake Parquet       %8.1f ms  %s%n",
          lakeResult.millis,
          lakeResult.summary());
      System.out.printf(
          Locale.ROOT,
          "Parquet is %.1fx faster (best of %d each)%n",
          json.millis / lakeResult.millis,
          runs);
    }
  }

  private record Result(double millis, List<String> rows) {
    String summary() {
      return rows.size() + " symbols, first " + (rows.isEmpty() ? "-" : rows.get(0));
    }
  }

  private static Result best(Connection db, String sql, int runs) throws Exception {
    double best = Double.MAX_VALUE;
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      rows = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          rows.add(
              String.format(
                  Locale.ROOT, "%s %.4f %d", rs.getString(1), rs.getDouble(2), rs.getLong(3)));
        }
      }
      best = Math.min(best, (System.nanoTime() - start) / 1e6);
    }
    return new Result(best, rows);
  }
}
