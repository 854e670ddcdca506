package io.tickstream.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickstream.pipeline.PipelineLake;
import io.tickstream.pipeline.query.LakeQuery;
import io.tickstream.pipeline.transforms.StrategyConfig;
import io.tickstream.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report opened in a real headless Chromium: every chart drawn, nothing logged as an error, and
 * what the page shows equal to the lake it was made from. The lake is the pipeline's, with the
 * signals, positions and trades of a second strategy run over the same stream added, so the page
 * has P&L by strategy to show. The page's screenshot is saved as target/report-screenshot.png.
 */
class ReportBrowserIT {
  static final StrategyConfig SECOND = new StrategyConfig(4, 12, 10_000, 5);
  static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

  @TempDir static Path tmp;
  static Path lake;
  static Path report;
  static HeadlessChromium browser;
  static List<String> problemsOnLoad;

  @BeforeAll
  static void openTheReport() throws Exception {
    lake = tmp.resolve("lake");
    copyTree(PipelineLake.get().root(), lake, "");
    Path second = PipelineLake.withStrategy(SECOND).root();
    for (String dataset : List.of("signals", "positions", "trades")) {
      copyTree(second.resolve(dataset), lake.resolve(dataset), SECOND.name() + "-");
    }
    report = tmp.resolve("report.html");
    try (LakeQuery query = LakeQuery.open(lake.toString(), false, Map.of())) {
      HtmlReport.write(query, "test lake", report);
    }
    browser = HeadlessChromium.start(1400, 1000);
    browser.navigate(report.toUri());
    problemsOnLoad = browser.problems();
  }

  @AfterAll
  static void closeTheBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void everyChartRendersAndThePageLogsNoError() throws Exception {
    assertEquals(List.of(), problemsOnLoad, "problems while the page loaded");
    long symbols = scalar("SELECT count(DISTINCT symbol) FROM bars_1m");
    JsonNode charts = browser.evaluate("tickstreamReport.charts()");
    assertEquals(1 + symbols, charts.size(), "the equity curve and one chart a symbol: " + charts);
    assertEquals(charts.size(), browser.evaluate("tickstreamReport.renderAll()").asInt());
    JsonNode blank =
        browser.evaluate(
            "[...document.querySelectorAll('[data-chart]')].filter(c => {"
                + " const canvas = c.querySelector('canvas');"
                + " return !canvas || canvas.width === 0 || canvas.height === 0;"
                + " }).map(c => c.dataset.chart)");
    assertEquals(0, blank.size(), "charts without a drawn canvas: " + blank);
    // Pixels that are not the background: uPlot drew lines into every canvas.
    JsonNode inked =
        browser.evaluate(
            "[...document.querySelectorAll('[data-chart] canvas')].map(c => {"
                + " const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;"
                + " return n; })");
    inked.forEach(n -> assertTrue(n.asInt() > 500, "a chart with almost no ink: " + inked));
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, browser.screenshot());
    assertTrue(Files.size(SCREENSHOT) > 50_000, "a screenshot of the whole page");
    assertEquals(List.of(), browser.problems(), "problems while drawing every chart");
  }

  @Test
  void theHeaderShowsTheLakesTotalsAndDataQuality() throws Exception {
    String totals = browser.evaluate("document.getElementById('totals').innerText").asText();
    for (String sql :
        List.of(
            "SELECT count(*) FROM ticks",
            "SELECT count(*) FROM bars_1m",
            "SELECT count(*) FROM signals",
            "SELECT count(*) FROM trades")) {
      String shown = String.format(Locale.ROOT, "%,d", scalar(sql));
      assertTrue(totals.contains(shown), sql + " = " + shown + " not in the header: " + totals);
    }
    String quality = browser.evaluate("document.getElementById('quality').innerText").asText();
    long deadLetters = scalar("SELECT count(*) FROM dead_letter");
    assertTrue(deadLetters > 0, "the faults made dead letters");
    assertTrue(
        quality.contains(String.format(Locale.ROOT, "%,d", deadLetters)),
        "dead letters " + deadLetters + " in " + quality);
    for (Map<String, Object> row :
        rows("SELECT error_code, count(*) AS n FROM dead_letter GROUP BY error_code")) {
      assertTrue(
          quality.contains(
              row.get("error_code")
                  + "\n"
                  + String.format(Locale.ROOT, "%,d", ((Number) row.get("n")).longValue())),
          row + " not in " + quality);
    }
  }

  @Test
  void eachSymbolChartMarksTheLakesSignalsAtTheirMovingAverages() throws Exception {
    assertEquals(
        List.of(PipelineLake.STRATEGY.name(), SECOND.name()),
        textList("[...document.querySelectorAll('#strategy option')].map(o => o.textContent)"));
    assertSignalsDrawn(PipelineLake.STRATEGY);
    browser.evaluate(
        "(() => { const s = document.getElementById('strategy'); s.value = '1';"
            + " s.dispatchEvent(new Event('change')); return tickstreamReport.renderAll(); })()");
    try {
      assertSignalsDrawn(SECOND);
    } finally {
      browser.evaluate(
          "(() => { const s = document.getElementById('strategy'); s.value = '0';"
              + " s.dispatchEvent(new Event('change')); return true; })()");
    }
  }

  /**
   * Every signal of {@code strategy} is a marker at its time on its symbol's chart, BUY or SELL,
   * where the fast and slow averages drawn equal the pipeline's (closes are drawn to 4 places).
   */
  private void assertSignalsDrawn(StrategyConfig strategy) throws Exception {
    browser.evaluate("tickstreamReport.renderAll()");
    Map<String, List<String>> expected = new HashMap<>();
    Map<String, double[]> averages = new HashMap<>();
    for (Map<String, Object> row :
        rows(
            "SELECT symbol, epoch_ms(ts) // 1000 AS x, side, fast, slow FROM signals"
                + " WHERE strategy = '"
                + strategy.name()
                + "' ORDER BY symbol, ts")) {
      String key = row.get("symbol") + "@" + row.get("x");
      expected
          .computeIfAbsent((String) row.get("symbol"), s -> new ArrayList<>())
          .add(row.get("x") + " " + row.get("side"));
      averages.put(key, new double[] {(Double) row.get("fast"), (Double) row.get("slow")});
    }
    assertTrue(expected.size() >= 3, "signals on several symbols: " + expected.keySet());
    JsonNode drawn =
        browser.evaluate(
            "Object.fromEntries(tickstreamReport.charts().filter(n =>"
                + " n.startsWith('symbol:')).map(n => { const d = tickstreamReport.seriesOf(n);"
                + " const out = []; d[0].forEach((x, i) => { if (d[4][i] != null) out.push([x,"
                + " 'BUY', d[2][i], d[3][i]]); if (d[5][i] != null) out.push([x, 'SELL', d[2][i],"
                + " d[3][i]]); }); return [n.slice(7), out]; }))");
    Map<String, List<String>> actual = new HashMap<>();
    drawn
        .fields()
        .forEachRemaining(
            e -> {
              for (JsonNode marker : e.getValue()) {
                String symbol = e.getKey();
                actual
                    .computeIfAbsent(symbol, s -> new ArrayList<>())
                    .add(marker.get(0).asLong() + " " + marker.get(1).asText());
                double[] want = averages.get(symbol + "@" + marker.get(0).asLong());
                assertTrue(want != null, symbol + " marker with no signal: " + marker);
                assertEquals(want[0], marker.get(2).asDouble(), 1e-3, "fast at " + marker);
                assertEquals(want[1], marker.get(3).asDouble(), 1e-3, "slow at " + marker);
              }
            });
    assertEquals(expected, actual, strategy.name() + "'s signals as drawn");
  }

  @Test
  void pnlByStrategyAndTheEquityCurveAddUpTheTrades() throws Exception {
    JsonNode table =
        browser.evaluate(
            "[...document.querySelectorAll('#strategies tbody tr')]"
                + ".map(r => [...r.cells].map(c => c.textContent))");
    assertEquals(2, table.size(), "a row a strategy: " + table);
    for (JsonNode row : table) {
      String strategy = row.get(0).asText();
      assertEquals(
          String.format(
              Locale.ROOT,
              "%,d",
              scalar("SELECT count(*) FROM trades WHERE strategy = '" + strategy + "'")),
          row.get(3).asText(),
          strategy + " trades");
      double total =
          (Double)
              rows("SELECT sum(pnl) AS p FROM trades WHERE strategy = '" + strategy + "'")
                  .get(0)
                  .get("p");
      assertEquals(String.format(Locale.US, "%,.2f", total), row.get(5).asText(), strategy);
    }
    browser.evaluate("tickstreamReport.renderAll()");
    JsonNode equity = browser.evaluate("tickstreamReport.seriesOf('equity')");
    assertEquals(4, equity.size(), "time, each strategy, and all strategies: " + equity.size());
    JsonNode all = equity.get(3);
    double sum = (Double) rows("SELECT sum(pnl) AS p FROM trades").get(0).get("p");
    assertEquals(sum, all.get(all.size() - 1).asDouble(), 1e-6, "the curve ends at the total");
    assertEquals(scalar("SELECT count(*) FROM trades"), all.size(), "a point a closed trade");
  }

  @Test
  void theTradesTableSortsByTheClickedColumn() throws Exception {
    String clickPnl = "document.querySelector('#trades th[data-column=\"pnl\"]').click()";
    browser.evaluate(clickPnl); // ascending
    browser.evaluate(clickPnl); // then descending
    JsonNode top =
        browser.evaluate(
            "[...document.querySelectorAll('#trades tbody tr')].slice(0, 5)"
                + ".map(r => r.cells[8].textContent)");
    List<String> expected = new ArrayList<>();
    for (Map<String, Object> row : rows("SELECT pnl FROM trades ORDER BY pnl DESC LIMIT 5")) {
      expected.add(String.format(Locale.US, "%,.2f", (Double) row.get("pnl")));
    }
    assertEquals(expected, textList(top), "the five best trades first");
    assertEquals(
        "descending",
        browser
            .evaluate(
                "document.querySelector('#trades th[data-column=\"pnl\"]')"
                    + ".getAttribute('aria-sort')")
            .asText());
    assertEquals(
        scalar("SELECT count(*) FROM trades"),
        browser.evaluate("document.querySelectorAll('#trades tbody tr').length").asLong(),
        "every trade is a row (fewer than a page)");
  }

  @Test
  void anEmptyLakeMakesAPageThatSaysSoWithoutAnError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-lake"));
    Path page = tmp.resolve("empty.html");
    try (LakeQuery query = LakeQuery.open(empty.toString(), false, Map.of())) {
      HtmlReport.write(query, "empty lake", page);
    }
    int before = browser.problems().size();
    try {
      browser.navigate(page.toUri());
      assertEquals(0, browser.evaluate("tickstreamReport.renderAll()").asInt());
      String text = browser.evaluate("document.body.innerText").asText();
      assertTrue(text.contains("No bars in the lake."), text);
      assertTrue(text.contains("No closed trades in the lake."), text);
      assertEquals(List.of(), browser.problems().subList(before, browser.problems().size()));
    } finally {
      browser.navigate(report.toUri());
    }
  }

  private static long scalar(String sql) throws Exception {
    return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
  }

  private static List<Map<String, Object>> rows(String sql) throws Exception {
    try (LakeQuery query = LakeQuery.open(lake.toString(), false, Map.of())) {
      return query.rows(sql, List.of());
    }
  }

  private static List<String> textList(String expression) throws Exception {
    return textList(browser.evaluate(expression));
  }

  private static List<String> textList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Copies every file under {@code from} to the same place under {@code to}, names prefixed. */
  private static void copyTree(Path from, Path to, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path rel = from.relativize(file);
        String name = file.getFileName().toString();
        boolean hidden = false;
        for (Path part : rel) {
          hidden |= part.toString().startsWith("_") || part.toString().startsWith(".");
        }
        if (!prefix.isEmpty() && hidden) {
          continue; // markers and in-progress files belong to the lake copied first
        }
        Path target = to.resolve(rel).resolveSibling(prefix + name);
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }
}
