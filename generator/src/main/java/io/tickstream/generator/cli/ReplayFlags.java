package io.tickstream.generator.cli;

import io.tickstream.generator.replay.ReplayConfig;
import io.tickstream.tick.TickParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The flags of a CSV price-history replay ({@code tickstream generate --replay FILE}). */
public final class ReplayFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--replay",
      paramLabel = "FILE",
      description = "Replay this CSV price history instead of simulating.")
  Path replay;

  @Option(
      names = "--column",
      paramLabel = "FIELD=HEADER",
      description =
          "Replay: map a tick field (symbol, timestamp, price, volume, market_cap, pe_ratio) to a"
              + " header, e.g. price=Adj Close. Repeatable. Default price=Close.")
  List<String> columns = new ArrayList<>();

  @Option(
      names = "--date-format",
      paramLabel = "PATTERN",
      description =
          "Replay: date pattern such as dd/MM/yyyy or yyyy-MM-dd HH:mm; default ISO-8601.")
  String dateFormat;

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "Replay: cell separator; default detected from the header (, TAB ; |).")
  String delimiter;

  @Option(
      names = "--replay-symbol",
      paramLabel = "TICKER",
      description = "Replay: symbol of every row, for files without a symbol column.")
  String replaySymbol;

  @Option(
      names = "--replay-step",
      paramLabel = "DURATION",
      defaultValue = "0",
      converter = DurationConverter.class,
      description =
          "Replay: rebase event times to --start, one row of each symbol every STEP (e.g. 1s);"
              + " 0 keeps the file's own dates (a date alone is midnight UTC).")
  Duration replayStep;

  /** The file to replay, or null to simulate. */
  public @Nullable Path file() {
    if (replay != null && !Files.isReadable(replay)) {
      throw Flags.invalid(spec, "--replay", replay, "is not a readable file");
    }
    return replay;
  }

  /**
   * How to read the file, with rows rebased to {@code startMillis} when {@code --replay-step} is
   * set.
   *
   * @throws picocli.CommandLine.ParameterException naming the flag and the value
   */
  public ReplayConfig toReplay(long startMillis) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String c : columns) {
      String[] kv = Flags.keyValue(spec, "--column", c);
      if (!ReplayConfig.FIELDS.contains(kv[0])) {
        throw Flags.invalid(
            spec, "--column", c, "names no tick field; one of " + ReplayConfig.FIELDS);
      }
      overrides.put(kv[0], kv[1]);
    }
    if (dateFormat != null) {
      Flags.parse(spec, "--date-format", dateFormat, DateTimeFormatter::ofPattern);
    }
    Character delim = null;
    if (delimiter != null) {
      String d = delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
      if (d.length() != 1) {
        throw Flags.invalid(spec, "--delimiter", delimiter, "must be one character (or \\t / tab)");
      }
      delim = d.charAt(0);
    }
    if (replaySymbol != null && !TickParser.isValidSymbol(replaySymbol)) {
      throw Flags.invalid(
          spec, "--replay-symbol", replaySymbol, "is not 1-12 characters of A-Z 0-9 . - ^");
    }
    return new ReplayConfig(
        overrides,
        dateFormat,
        delim,
        replaySymbol,
        startMillis,
        replayStep.isZero() ? null : replayStep.toMillis());
  }
}
