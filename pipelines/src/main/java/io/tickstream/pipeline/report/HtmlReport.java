package io.tickstream.pipeline.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import io.tickstream.pipeline.query.LakeQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The report: one self-contained HTML file a trader opens with no network. The page is the template
 * {@code report.html} with its stylesheet, the charting library (uPlot, bundled into the jar from
 * npm through the committed lock file) and its script inlined, and the lake's {@link ReportData} as
 * JSON in a {@code <script type="application/json">}.
 */
public final class HtmlReport {
  static final String RESOURCES = "/io/tickstream/report/";

  private HtmlReport() {}

  /**
   * Writes the report of the lake open in {@code lake} to {@code out}, replacing it only when the
   * whole page is written.
   *
   * @param lakeName how the page names the lake
   * @return the bytes written
   */
  public static long write(LakeQuery lake, String lakeName, Path out)
      throws IOException, SQLException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path partial = dir.resolve("." + out.getFileName() + "." + UUID.randomUUID() + ".partial");
    try {
      String[] page = resource("report.html").split("\\{\\{DATA}}", -1);
      if (page.length != 2) {
        throw new IllegalStateException("report.html must hold {{DATA}} once");
      }
      try (Writer w =
          Files.newBufferedWriter(partial, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
        w.write(inline(page[0], lakeName));
        JsonGenerator json = jsonFactory().createGenerator(w);
        new ReportData(lake)
            .write(json, lakeName, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        json.flush();
        w.write(inline(page[1], lakeName));
      }
      Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(out);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** The template's placeholders filled: the stylesheets and scripts inlined, the title. */
  private static String inline(String template, String lakeName) {
    return template
        .replace("{{TITLE}}", escapeHtml("tickstream report: " + lakeName))
        .replace("{{UPLOT_CSS}}", resource("vendor/uPlot.min.css"))
        .replace("{{REPORT_CSS}}", resource("report.css"))
        .replace("{{UPLOT_JS}}", scriptSafe(resource("vendor/uPlot.iife.min.js")))
        .replace("{{UPLOT_LICENSE}}", resource("vendor/uPlot.LICENSE").replace("--", "- -"))
        .replace("{{REPORT_JS}}", scriptSafe(resource("report.js")));
  }

  /** JSON that cannot end its {@code <script>} element: {@code <}, {@code >}, {@code &} escaped. */
  private static JsonFactory jsonFactory() {
    JsonFactory factory = new JsonFactory();
    factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    factory.setCharacterEscapes(
        new CharacterEscapes() {
          private static final long serialVersionUID = 1L;
          private final int[] escapes = standardAsciiEscapesForJSON();

          {
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
          }

          @Override
          public int[] getEscapeCodesForAscii() {
            return escapes;
          }

          @Override
          public SerializableString getEscapeSequence(int ch) {
            return null;
          }
        });
    return factory;
  }

  private static String scriptSafe(String script) {
    if (script.contains("</script")) {
      throw new IllegalStateException("an inlined script must not contain </script");
    }
    return script;
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** A resource of the report, as text. */
  static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCES + name + " is not on the class path (the build copies it there)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
