package io.tickstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickstream.pipeline.query.LakeQuery;
import io.tickstream.pipeline.report.HtmlReport;
import io.tickstream.testing.HeadlessChromium;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * How fast the report is made and opens: writing the page from a lake, then in headless Chromium
 * (1400 x 1000) per run: the load event, the page's script done and the first chart drawn (the
 * charts in view, drawn as they scroll into it), then drawing every chart, sorting every trade by
 * P&L, and the JS heap. Each run opens the page afresh.
 *
 * <pre>{@code
 * benchmarks/run ReportBenchmark LAKE_DIR OUT.html [RUNS=3]
 * }</pre>
 */
public final class ReportBenchmark {
  private ReportBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ReportBenchmark LAKE_DIR OUT.html [RUNS=3]");
      System.exit(2);
    }
    Path lake = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    long start = System.nanoTime();
    long bytes;
    try (LakeQuery query = LakeQuery.open(lake.toString(), false, Map.of())) {
      bytes = HtmlReport.write(query, lake.toString(), out);
    }
    System.out.printf(
        Locale.ROOT,
        "write     %,8.0f ms  %,d KiB  %s%n",
        (System.nanoTime() - start) / 1e6,
        bytes / 1024,
        out.toAbsolutePath());
    try (HeadlessChromium browser = HeadlessChromium.start(1400, 1000)) {
      for (int run = 1; run <= runs; run++) {
        browser.navigate(URI.create("about:blank")); // the last run's page torn down, untimed
        long t0 = System.nanoTime();
        browser.navigate(out.toUri());
        double load = (System.nanoTime() - t0) / 1e6;
        JsonNode page =
            browser.evaluate(
                "new Promise(done => { const r = tickstreamReport, until = performance.now() +"
                    + " 5000; const measure = () => { if (!r.rendered().length && performance.now()"
                    + " < until) { requestAnimationFrame(measure); return; } const t = r.timings(),"
                    + " inView = r.rendered().length; let s = performance.now(); const all ="
                    + " r.renderAll(); const drawAll = performance.now() - s; s ="
                    + " performance.now(); r.sortTrades('pnl', -1); const sort = performance.now()"
                    + " - s; done({ script: t.script, firstChart: t.firstChart, inView, all,"
                    + " drawAll, sort, trades: r.data.trades.length, bars: r.data.totals.bars,"
                    + " heapMiB: performance.memory.usedJSHeapSize / 1048576 }); };"
                    + " requestAnimationFrame(measure); })");
        System.out.printf(
            Locale.ROOT,
            "open %d    load %,6.0f ms  script done %,6.0f ms  first chart %,6.0f ms (%d in view)"
                + "  all %d charts %,6.0f ms  sort %,d trades %,4.0f ms  heap %,.0f MiB"
                + "  (%,d bars)%n",
            run,
            load,
            page.get("script").asDouble(),
            page.get("firstChart").asDouble(),
            page.get("inView").asInt(),
            page.get("all").asInt(),
            page.get("drawAll").asDouble(),
            page.get("trades").asInt(),
            page.get("sort").asDouble(),
            page.get("heapMiB").asDouble(),
            page.get("bars").asLong());
      }
      if (!browser.problems().isEmpty()) {
        System.out.println("page problems: " + browser.problems());
        System.exit(1);
      }
    }
  }
}
