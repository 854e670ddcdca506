package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstream.pipeline.PipelineLake;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tickstream query}, {@code catalog} and {@code report} as a user runs them: results on
 * stdout in each format, statements from stdin, and each mistake one line naming the flag and the
 * value.
 */
class QueryCommandTest {
  @TempDir Path tmp;

  /** What a run printed, and its exit code. */
  record Run(int code, String out, String err) {}

  private static Run run(Map<String, String> env, String stdin, String... args) {
    CommandLine root =
        Tickstream.commandLine(
            env,
            (job, err) -> 0,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            false);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    root.setOut(new PrintWriter(out));
    root.setErr(new PrintWriter(err));
    int code = root.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run query(String... args) {
    List<String> all = new ArrayList<>(List.of("query", "--lake", lake()));
    all.addAll(List.of(args));
    return run(Map.of(), "", all.toArray(new String[0]));
  }

  private static String lake() {
    return PipelineLake.get().root().toString();
  }

  @Test
  void sqlPrintsAnAlignedTableWithTheRowCount() {
    Run r = query("SELECT dt, count(*) AS bars FROM bars_1m GROUP BY dt ORDER BY dt");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).matches("dt\\s+\\| bars"), lines.get(0));
    assertTrue(lines.get(2).matches("2025-03-04 \\|\\s+\\d+"), lines.get(2));
    assertEquals("(2 rows)", lines.get(lines.size() - 1));
  }

  @Test
  void aShippedQueryRunsByNameWithItsParameterInEachFormat() throws Exception {
    Run json = query("--file", "volume_by_symbol", "--param", "day=2025-03-05", "--format", "json");
    assertEquals(0, json.code(), json.err());
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertEquals(5, rows.size());
    assertTrue(rows.get(0).get("total_volume").isNumber());
    assertTrue(rows.get(0).get("latest_update").asText().startsWith("2025-03-05T00:"));
    Run csv = query("--file", "volume_by_symbol", "--param", "day=2025-03-05", "--format", "csv");
    List<String> lines = csv.out().lines().toList();
    assertEquals("symbol,total_volume,latest_update", lines.get(0));
    assertEquals(6, lines.size());
    assertEquals(rows.get(0).get("symbol").asText(), lines.get(1).split(",")[0]);
  }

  @Test
  void aQueryFileDeclaresItsOwnParameters() throws Exception {
    Path file = tmp.resolve("bars_of.sql");
    Files.writeString(
        file,
        "-- Bars of one symbol.\n-- param symbol: the symbol\n"
            + "SELECT count(*) AS bars FROM bars_1m WHERE symbol = ?;\n");
    Run r = query("--file", file.toString(), "--param", "symbol=NOPE", "--format", "csv");
    assertEquals(0, r.code(), r.err());
    assertEquals("bars\n0\n", r.out());
  }

  @Test
  void listNamesEveryShippedQueryAndItsParameters() {
    Run r = run(Map.of(), "", "query", "--list");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("strategy_results\n    Per symbol and strategy"), r.out());
    assertTrue(r.out().contains("volume_by_symbol\n"), r.out());
    assertTrue(r.out().contains("--param day=VALUE  the UTC day, yyyy-MM-dd"), r.out());
  }

  @Test
  void withoutSqlStatementsComeFromStdinUpToTheirSemicolons() {
    Run r =
        run(
            Map.of(),
            "SELECT count(*) AS n\nFROM trades;\nSELECT 'x;y' AS s;\n",
            "query",
            "--lake",
            lake(),
            "--format",
            "csv");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("n", lines.get(0));
    assertTrue(Long.parseLong(lines.get(1)) > 0);
    assertEquals(List.of("s", "x;y"), lines.subList(2, 4));
  }

  @Test
  void aBadStatementFromStdinIsReportedAndTheRestStillRun() {
    Run r = run(Map.of(), "SELEC 1;\nSELECT 2 AS two;\n", "query", "--lake", lake());
    assertEquals(1, r.code(), "a failed statement fails the run");
    assertTrue(r.err().contains("syntax error"), r.err());
    assertTrue(r.out().contains("two"), r.out());
  }

  @Test
  void mistakesAreOneLineNamingTheFlagAndTheValue() {
    assertMistake(query("--format", "xml", "SELECT 1"), "--format", "'xml'");
    assertMistake(query("--file", "no_such_query"), "--file", "'no_such_query'");
    assertMistake(query("--file", "volume_by_symbol"), "--param day=VALUE", "volume_by_symbol");
    assertMistake(
        query("--file", "volume_by_symbol", "--param", "dy=2025-03-05"), "--param", "'dy=");
    assertMistake(query("--file", "volume_by_symbol", "--param", "day"), "--param", "'day'");
    assertMistake(query("--param", "day=1", "SELECT 1"), "--param", "'day=1'");
    assertMistake(query("--file", "strategy_results", "SELECT 1"), "--file", "'strategy_results'");
    assertMistake(
        run(Map.of(), "", "query", "--lake", tmp.resolve("none").toString(), "SELECT 1"),
        "--lake",
        "none");
    assertMistake(query("SELECT * FROM quotes"), "SQL", "quotes");
  }

  @Test
  void anS3LakeThatCannotBeReadIsOneLineBeforeAnyQuery() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test",
            "AWS_REGION", "us-east-1",
            "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort);
    Run r = run(env, "", "query", "--lake", "s3://tickstream-lake/prod", "SELECT 1");
    assertMistake(r, "--lake", "'s3://tickstream-lake/prod' cannot be read: ");
    if (r.err().contains("httpfs")) {
      assertTrue(r.err().contains("INSTALL httpfs"), "says how to install it: " + r.err());
    }
  }

  @Test
  void catalogDdlAndGluePrintTheCatalogOfAnS3Lake() throws Exception {
    Run ddl = run(Map.of(), "", "catalog", "ddl", "--lake", "s3://b-1/lake", "--database", "prod");
    assertEquals(0, ddl.code(), ddl.err());
    assertTrue(ddl.out().startsWith("CREATE DATABASE IF NOT EXISTS `prod`"), ddl.out());
    assertEquals(6, ddl.out().split("CREATE EXTERNAL TABLE").length - 1);
    Run glue =
        run(
            Map.of(),
            "",
            "catalog",
            "glue",
            "--lake",
            "s3://b-1/lake",
            "--dataset",
            "trades",
            "--first-day",
            "2024-06-01");
    assertEquals(0, glue.code(), glue.err());
    JsonNode table = new ObjectMapper().readTree(glue.out());
    assertEquals("trades", table.get("Name").asText());
    assertEquals("2024-06-01,NOW", table.get("Parameters").get("projection.dt.range").asText());
    assertMistake(run(Map.of(), "", "catalog", "ddl", "--lake", "./lake"), "--lake", "'./lake'");
    assertMistake(
        run(Map.of(), "", "catalog", "ddl", "--lake", "s3://b-1/l", "--database", "Prod-DB"),
        "--database",
        "'Prod-DB'");
    assertMistake(
        run(Map.of(), "", "catalog", "ddl", "--lake", "s3://b-1/l", "--first-day", "2024-13-01"),
        "--first-day",
        "'2024-13-01'");
    assertMistake(
        run(Map.of(), "", "catalog", "glue", "--lake", "s3://b-1/l", "--dataset", "quotes"),
        "--dataset",
        "'quotes'");
  }

  @Test
  void reportWritesOnePageWithEverythingInlinedAndPrintsWhere() throws Exception {
    Path out = tmp.resolve("out/report.html");
    Run r = run(Map.of(), "", "report", "--lake", lake(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("report: " + out.toAbsolutePath()), r.out());
    String page = Files.readString(out);
    assertTrue(page.contains("<script id=\"report-data\" type=\"application/json\">{\"lake\":"));
    assertTrue(page.contains("uPlot"), "the charting library is inlined");
    for (String external : List.of(" src=", " href=", "<link", "@import", "url(")) {
      assertTrue(!page.contains(external), "nothing loaded from elsewhere: " + external);
    }
    assertTrue(page.contains("content=\"default-src 'none';"), "and the page forbids it");
    try (var files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no partial file left beside it");
    }
  }

  @Test
  void reportMistakesAreOneLineNamingTheFlagAndTheValue() throws Exception {
    assertMistake(
        run(Map.of(), "", "report", "--lake", tmp.resolve("none").toString()), "--lake", "none");
    assertMistake(
        run(Map.of(), "", "report", "--lake", lake(), "--out", tmp.toString()),
        "--out",
        tmp.toString());
  }

  private static void assertMistake(Run r, String flag, String value) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(flag) && r.err().contains(value), r.err());
    assertEquals("", r.out());
  }
}
