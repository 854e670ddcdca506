package io.tickstream.pipeline.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstream.generator.faults.Emission;
import io.tickstream.pipeline.PipelineLake;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.trino.sql.parser.ParsingOptions;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped query, run with DuckDB on a lake the streaming pipeline made, answers what the test
 * works out by itself: from the records the generator emitted (prices, volumes, late and broken
 * records) or, for trades, from the trades read back. Every shipped query also parses with Trino's
 * parser, the SQL dialect of Athena engine 3, and declares one parameter per {@code ?}.
 */
class ShippedQueriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double EPSILON = 1e-9;

  private static PipelineLake lake;

  /** The valid ticks the stream read, each event id once (the first copy), in emission order. */
  private static List<SentTick> ticks;

  @TempDir Path tmp;

  /**
   * A valid tick as the generator sent it; late when it came more than the max out-of-orderness
   * behind the latest tick of its symbol sent before it.
   */
  record SentTick(
      String eventId, String symbol, double price, long volume, Instant time, boolean late) {
    String dt() {
      return LocalDate.ofInstant(time, ZoneOffset.UTC).toString();
    }

    int hour() {
      return time.atOffset(ZoneOffset.UTC).getHour();
    }
  }

  @BeforeAll
  static void readTheLakesInput() throws IOException {
    lake = PipelineLake.get();
    Map<String, SentTick> first = new LinkedHashMap<>();
    Map<String, Instant> latest = new java.util.HashMap<>();
    for (Emission e : lake.emissions()) {
      if (e.badKind() == null && !e.duplicate() && !first.containsKey(e.eventId())) {
        JsonNode j = JSON.readTree(e.line());
        String symbol = j.get("symbol").asText();
        Instant time = Instant.parse(j.get("timestamp").asText());
        Instant clock = latest.getOrDefault(symbol, time).minus(PipelineLake.MAX_OUT_OF_ORDERNESS);
        latest.merge(symbol, time, (a, b) -> a.isAfter(b) ? a : b);
        first.put(
            e.eventId(),
            new SentTick(
                j.get("event_id").asText(),
                symbol,
                j.get("price").asDouble(),
                j.get("volume").asLong(),
                time,
                time.isBefore(clock)));
      }
    }
    ticks = List.copyOf(first.values());
  }

  @Test
  void everyShippedQueryParsesAsTrinoSqlWithOneDeclaredParameterPerPlaceholder() {
    List<ShippedQuery> all = ShippedQuery.all();
    assertEquals(
        List.of(
            "avg_price_by_symbol",
            "dead_letters_by_reason",
            "duplicate_ticks",
            "late_ticks_by_hour",
            "strategy_results",
            "top_symbols_by_avg_price",
            "volume_by_symbol"),
        all.stream().map(ShippedQuery::name).toList());
    SqlParser trino = new SqlParser();
    for (ShippedQuery q : all) {
      Node statement = trino.createStatement(q.statement(), new ParsingOptions());
      assertEquals(q.parameters().size(), placeholders(statement), q.name());
      assertFalse(q.description().isBlank(), q.name() + " says what it answers");
    }
  }

  @Test
  void aQueryOnlyDuckDbAcceptsFailsTrinosParser() {
    SqlParser trino = new SqlParser();
    assertThrows(
        io.trino.sql.parser.ParsingException.class,
        () ->
            trino.createStatement(
                "SELECT symbol, price::VARCHAR FROM ticks QUALIFY row_number() OVER () = 1",
                new ParsingOptions()));
  }

  @Test
  void averagePriceAndTicksPerSymbolOnEachDay() throws Exception {
    try (LakeQuery q = open(lake.root(), false)) {
      for (String day : days()) {
        Map<String, List<SentTick>> bySymbol = bySymbol(day);
        List<Map<String, Object>> rows = run(q, "avg_price_by_symbol", day);
        assertEquals(List.copyOf(bySymbol.keySet()), column(rows, "symbol"));
        for (Map<String, Object> row : rows) {
          List<SentTick> t = bySymbol.get((String) row.get("symbol"));
          assertClose(
              t.stream().mapToDouble(SentTick::price).average().orElseThrow(), row, "avg_price");
          assertEquals((long) t.size(), ((Number) row.get("ticks")).longValue(), row.toString());
        }
      }
    }
  }

  @Test
  void totalVolumeAndLatestUpdatePerSymbolOnEachDay() throws Exception {
    try (LakeQuery q = open(lake.root(), false)) {
      for (String day : days()) {
        Map<String, List<SentTick>> bySymbol = bySymbol(day);
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Map.Entry<String, List<SentTick>> s : bySymbol.entrySet()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("symbol", s.getKey());
          row.put("total_volume", s.getValue().stream().mapToLong(SentTick::volume).sum());
          row.put(
              "latest_update",
              s.getValue().stream().map(SentTick::time).max(Comparator.naturalOrder()).get());
          expected.add(row);
        }
        expected.sort(
            Comparator.comparing((Map<String, Object> r) -> -(long) r.get("total_volume"))
                .thenComparing(r -> (String) r.get("symbol")));
        List<Map<String, Object>> rows = run(q, "volume_by_symbol", day);
        rows.forEach(r -> r.put("latest_update", instant(r.get("latest_update"))));
        rows.forEach(r -> r.put("total_volume", ((Number) r.get("total_volume")).longValue()));
        assertEquals(expected, rows, day);
      }
    }
  }

  @Test
  void topSymbolsByAveragePriceOnEachDay() throws Exception {
    try (LakeQuery q = open(lake.root(), false)) {
      for (String day : days()) {
        List<String> expected =
            bySymbol(day).entrySet().stream()
                .sorted(
                    Comparator.comparingDouble(
                            (Map.Entry<String, List<SentTick>> e) ->
                                -e.getValue().stream()
                                    .mapToDouble(SentTick::price)
                                    .average()
                                    .orElseThrow())
                        .thenComparing(Map.Entry::getKey))
                .limit(10)
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(expected, column(run(q, "top_symbols_by_avg_price", day), "symbol"), day);
      }
    }
  }

  @Test
  void strategyResultsPerSymbolAndStrategy() throws Exception {
    List<Trade> trades;
    try (LakeReader reader = LakeReader.local(lake.root())) {
      trades = reader.records(Dataset.TRADES);
    }
    assertTrue(trades.size() >= 10, "the lake holds trades: " + trades.size());
    Map<String, List<Trade>> groups = new TreeMap<>();
    for (Trade t : trades) {
      groups.computeIfAbsent(t.getSymbol() + "/" + t.getStrategy(), k -> new ArrayList<>()).add(t);
    }
    try (LakeQuery q = open(lake.root(), false)) {
      List<Map<String, Object>> rows = run(q, "strategy_results");
      assertEquals(groups.size(), rows.size());
      boolean someDrawdown = false;
      double previousTotal = Double.POSITIVE_INFINITY;
      for (Map<String, Object> row : rows) {
        List<Trade> group = groups.get(row.get("symbol") + "/" + row.get("strategy"));
        group.sort(Comparator.comparing(Trade::getExitTime).thenComparing(Trade::getTradeId));
        double cum = 0;
        double peak = 0;
        double drawdown = 0;
        for (Trade t : group) {
          cum += t.getPnl();
          peak = Math.max(peak, cum);
          drawdown = Math.max(drawdown, peak - cum);
        }
        long winners = group.stream().filter(t -> t.getPnl() > 0).count();
        double total = group.stream().mapToDouble(Trade::getPnl).sum();
        assertEquals((long) group.size(), ((Number) row.get("trades")).longValue(), row.toString());
        assertEquals(winners, ((Number) row.get("winners")).longValue(), row.toString());
        assertClose((double) winners / group.size(), row, "win_rate");
        assertClose(total, row, "total_pnl");
        assertClose(total / group.size(), row, "avg_pnl");
        assertClose(
            group.stream().mapToDouble(Trade::getPnl).max().orElseThrow(), row, "best_trade");
        assertClose(
            group.stream().mapToDouble(Trade::getPnl).min().orElseThrow(), row, "worst_trade");
        assertClose(drawdown, row, "max_drawdown");
        someDrawdown |= drawdown > 0;
        double rowTotal = ((Number) row.get("total_pnl")).doubleValue();
        assertTrue(rowTotal <= previousTotal, "best total first");
        previousTotal = rowTotal;
      }
      assertTrue(someDrawdown, "some symbol gave back part of its gains");
    }
  }

  @Test
  void deadLettersByReasonAreTheBrokenRecordsSent() throws Exception {
    Map<String, Long> expected = new TreeMap<>();
    for (Emission e : lake.emissions()) {
      if (e.badKind() != null) {
        expected.merge(e.badKind().expectedCode().name(), 1L, Long::sum);
      }
    }
    assertTrue(expected.size() >= 4, "several kinds of broken records: " + expected);
    try (LakeQuery q = open(lake.root(), false)) {
      Map<String, Long> actual = new TreeMap<>();
      for (Map<String, Object> row : run(q, "dead_letters_by_reason")) {
        assertEquals("ParseTicks", row.get("step"), row.toString());
        actual.merge(
            (String) row.get("error_code"), ((Number) row.get("records")).longValue(), Long::sum);
      }
      assertEquals(expected, actual);
    }
  }

  @Test
  void lateTicksPerHourAreTheTicksHeldBack() throws Exception {
    Map<String, long[]> expected = new TreeMap<>();
    for (SentTick t : ticks) {
      long[] counts =
          expected.computeIfAbsent(t.dt() + String.format(" %02d", t.hour()), k -> new long[2]);
      counts[0]++;
      counts[1] += t.late() ? 1 : 0;
    }
    assertTrue(expected.values().stream().mapToLong(c -> c[1]).sum() > 0, "some ticks were late");
    try (LakeQuery q = open(lake.root(), false)) {
      Map<String, long[]> actual = new TreeMap<>();
      for (Map<String, Object> row : run(q, "late_ticks_by_hour")) {
        long stored = ((Number) row.get("ticks")).longValue();
        long late = ((Number) row.get("late")).longValue();
        assertEquals(stored - late, ((Number) row.get("on_time")).longValue());
        actual.put(
            row.get("dt") + String.format(" %02d", ((Number) row.get("hour")).intValue()),
            new long[] {stored, late});
      }
      assertEquals(toText(expected), toText(actual));
    }
  }

  @Test
  void duplicatesAreTicksStoredTwiceAndCommittedOnlyReadsWhatTheMarkersName() throws Exception {
    Path copy = tmp.resolve("lake");
    copyTree(lake.root(), copy);
    try (LakeQuery q = open(copy, false)) {
      assertEquals(List.of(), run(q, "duplicate_ticks"), "the stream stored each tick once");
    }
    Path original = dataFiles(copy.resolve("ticks")).get(0);
    Path leaf = original.getParent();
    Files.copy(original, leaf.resolve("replayed-" + original.getFileName()));
    Files.copy(original, leaf.resolve("_staged.parquet"));
    Files.copy(original, leaf.resolve(".in-progress.parquet"));
    List<String> idsInFile;
    try (LakeQuery q = open(copy, false)) {
      idsInFile =
          column(
              q.rows(
                  "SELECT event_id FROM read_parquet(?) ORDER BY event_id",
                  List.of(original.toString())),
              "event_id");
      List<Map<String, Object>> dups = run(q, "duplicate_ticks");
      assertEquals(idsInFile, column(dups, "event_id"), "only the copy named like data is read");
      dups.forEach(r -> assertEquals(2L, ((Number) r.get("copies")).longValue()));
    }
    assertFalse(idsInFile.isEmpty());
    try (LakeQuery q = open(copy, true)) {
      assertEquals(List.of(), run(q, "duplicate_ticks"), "no marker names the copy");
      assertEquals(
          (long) ticks.size(),
          ((Number) q.rows("SELECT count(*) AS n FROM ticks", List.of()).get(0).get("n"))
              .longValue());
    }
  }

  @Test
  void aFilterOnDtOpensOnlyThatDaysFiles() throws Exception {
    Path copy = tmp.resolve("lake");
    copyTree(lake.root(), copy);
    List<String> days = days();
    String lastDay = days.get(days.size() - 1);
    for (Path f : dataFiles(copy.resolve("ticks").resolve("dt=" + lastDay))) {
      Files.writeString(f, "not parquet");
    }
    try (LakeQuery q = open(copy, false)) {
      String firstDay = days.get(0);
      assertEquals(
          (long) ticks.stream().filter(t -> t.dt().equals(firstDay)).count(),
          ((Number)
                  q.rows("SELECT count(*) AS n FROM ticks WHERE dt = ?", List.of(firstDay))
                      .get(0)
                      .get("n"))
              .longValue());
      assertThrows(SQLException.class, () -> q.rows("SELECT count(*) FROM ticks", List.of()));
    }
  }

  @Test
  void anEmptyLakeHasEveryTableTypedAndEmpty() throws Exception {
    try (LakeQuery q = open(tmp, false)) {
      for (Dataset<?> d : Dataset.all()) {
        assertEquals(List.of(), q.rows("SELECT * FROM " + d.name(), List.of()), d.name());
      }
      assertEquals(List.of(), run(q, "strategy_results"));
    }
  }

  private static LakeQuery open(Path root, boolean committedOnly) throws LakeUnreadableException {
    return LakeQuery.open(root.toString(), committedOnly, Map.of());
  }

  private static List<Map<String, Object>> run(LakeQuery q, String name, String... params)
      throws SQLException {
    ShippedQuery query = ShippedQuery.named(name);
    assertEquals(query.parameters().size(), params.length, name);
    return q.rows(query.statement(), List.of(params));
  }

  private static List<String> days() {
    List<String> days = ticks.stream().map(SentTick::dt).distinct().sorted().toList();
    assertEquals(2, days.size(), "the stream crosses midnight: " + days);
    return days;
  }

  private static Map<String, List<SentTick>> bySymbol(String day) {
    return ticks.stream()
        .filter(t -> t.dt().equals(day))
        .collect(Collectors.groupingBy(SentTick::symbol, TreeMap::new, Collectors.toList()));
  }

  private static List<String> column(List<Map<String, Object>> rows, String name) {
    return rows.stream().map(r -> (String) r.get(name)).toList();
  }

  private static void assertClose(double expected, Map<String, Object> row, String column) {
    double actual = ((Number) row.get(column)).doubleValue();
    assertEquals(expected, actual, EPSILON * Math.max(1, Math.abs(expected)), column + " " + row);
  }

  private static Instant instant(Object v) {
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new AssertionError("not a time: " + v + " (" + v.getClass() + ")");
  }

  private static int placeholders(Node node) {
    int n = node instanceof Parameter ? 1 : 0;
    for (Node child : node.getChildren()) {
      n += placeholders(child);
    }
    return n;
  }

  private static Map<String, String> toText(Map<String, long[]> counts) {
    Map<String, String> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v[0] + " stored, " + v[1] + " late"));
    return out;
  }

  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
