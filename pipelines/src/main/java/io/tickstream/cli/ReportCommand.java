package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import io.tickstream.pipeline.query.LakeQuery;
import io.tickstream.pipeline.report.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tickstream report}: the lake as one self-contained HTML page for a trader. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Writes one self-contained HTML file (no network needed) from the lake: totals and"
          + " data-quality counts, per symbol the 1-minute close with the moving averages and the"
          + " BUY/SELL signals, the equity curve of closed trades, a sortable trades table and the"
          + " P&L by strategy.",
      ""
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--lake",
      paramLabel = "DIR|s3://BUCKET/PREFIX",
      defaultValue = "./lake",
      description = "The lake to read, as for 'query'.")
  String lake;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "report.html",
      description = "The HTML file to write (replaced when the whole page is written).")
  Path out;

  @Option(
      names = "--committed-only",
      description = "Reads only partitions with a _SUCCESS marker, as for 'query'.")
  boolean committedOnly;

  private final Map<String, String> env;

  /**
   * @param env the environment, for an {@code s3://} lake's AWS settings
   */
  ReportCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException, SQLException {
    if (Files.isDirectory(out)) {
      throw Flags.invalid(spec, "--out", out, "is a directory; give the file to write");
    }
    Path dir = out.toAbsolutePath().getParent();
    if (Files.exists(dir) && !Files.isWritable(dir)) {
      throw Flags.invalid(spec, "--out", out, "cannot be written: " + dir + " is read-only");
    }
    try (LakeQuery query = QueryCommand.openLake(spec, lake, committedOnly, env)) {
      write(query, lake, out, spec.commandLine().getOut());
    }
    return 0;
  }

  /** Writes the report of {@code query}'s lake to {@code out} and prints where it is. */
  static void write(LakeQuery query, String lake, Path out, PrintWriter printTo)
      throws IOException, SQLException {
    long bytes = HtmlReport.write(query, lake, out);
    printTo.printf(
        Locale.ROOT,
        "report: %s (%,d KiB)%n",
        out.toAbsolutePath().normalize(),
        (bytes + 1023) / 1024);
    printTo.flush();
  }
}
