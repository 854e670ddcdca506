package io.tickstream.generator.replay;

import io.tickstream.generator.TickSource;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickParser;
import io.tickstream.tick.TickTimestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.annotation.Nullable;
import org.joda.time.Instant;

/**
 * Replays a price history file, one tick per row, in event-time order.
 *
 * <p>Columns are found by header name, case-insensitively: symbol from {@code Symbol}, {@code
 * Ticker} or {@code Index}; time from {@code Timestamp}, {@code Datetime} or {@code Date}; price
 * from {@code Close}, {@code Price} or {@code Last}; volume from {@code Volume}; market cap and P/E
 * from {@code Market_Cap}/{@code PE_Ratio} if present (else null). Any of them can be named
 * explicitly. The Kaggle layout {@code Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD}
 * works as is.
 *
 * <p>Messy input is expected: Windows line endings, a byte-order mark, quoted cells, other
 * delimiters, {@code null}/{@code NaN}/empty cells. Blank rows are skipped and counted. A row that
 * cannot be mapped is rejected with its line number and reason, never silently. An empty or null
 * volume means 0; a decimal volume is rounded. A date without a time is midnight UTC. Each symbol's
 * rows get event ids {@code SYMBOL-n} in file order; the whole file is read and sorted by event
 * time (ties in file order), so a file sorted by symbol still replays as one interleaved market.
 */
public final class CsvReplay implements TickSource {
  private static final List<String> SYMBOL_HEADERS = List.of("symbol", "ticker", "index");
  private static final List<String> TIME_HEADERS = List.of("timestamp", "datetime", "date", "time");
  private static final List<String> PRICE_HEADERS = List.of("close", "price", "last");
  private static final List<String> VOLUME_HEADERS = List.of("volume", "vol");
  private static final List<String> CAP_HEADERS = List.of("market_cap", "marketcap", "market cap");
  private static final List<String> PE_HEADERS = List.of("pe_ratio", "pe", "p/e");

  private final Iterator<Tick> ticks;
  private final long dataRows;
  private final long blankRows;
  private final long rejectedRows;

  private CsvReplay(List<Tick> sorted, long dataRows, long blankRows, long rejectedRows) {
    this.ticks = sorted.iterator();
    this.dataRows = dataRows;
    this.blankRows = blankRows;
    this.rejectedRows = rejectedRows;
  }

  /**
   * Reads the whole file.
   *
   * @param onReject told about each row that cannot be mapped, in file order
   * @throws IllegalArgumentException when the file as a whole cannot be replayed (no header, a
   *     required column missing): the message names the file and the column
   */
  public static CsvReplay open(Path file, ReplayConfig config, Consumer<RejectedRow> onReject)
      throws IOException {
    // Bytes that are not UTF-8 (a spreadsheet's Windows-1252 export) become U+FFFD, so they reject
    // only a row whose mapped cell holds them, with its line, instead of failing the whole replay.
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8))) {
      return read(reader, file.toString(), config, onReject);
    }
  }

  /** Reads all rows from {@code reader}; {@code name} is used in messages. */
  public static CsvReplay read(
      BufferedReader reader, String name, ReplayConfig config, Consumer<RejectedRow> onReject)
      throws IOException {
    String header = reader.readLine();
    long lineNo = 1;
    while (header != null && header.isBlank()) {
      header = reader.readLine();
      lineNo++;
    }
    if (header == null) {
      throw new IllegalArgumentException(name + " is empty: a header row is needed");
    }
    if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
      header = header.substring(1);
    }
    char delimiter = config.delimiter() != null ? config.delimiter() : detectDelimiter(header);
    List<String> headers = split(header, delimiter);
    Columns cols = Columns.resolve(headers, config, name);
    DateParser dates = new DateParser(config.dateFormat());

    List<Tick> out = new ArrayList<>();
    Map<String, Long> perSymbol = new HashMap<>();
    long data = 0;
    long blank = 0;
    long rejected = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank() || isOnlyDelimiters(line, delimiter)) {
        blank++;
        continue;
      }
      data++;
      try {
        List<String> cells = split(line, delimiter);
        if (cells.size() != headers.size()) {
          throw new RowException(
              "expected " + headers.size() + " cells as in the header, got " + cells.size());
        }
        String symbol =
            config.symbol() != null
                ? config.symbol()
                : required(cells, cols.symbol, headers).toUpperCase(Locale.ROOT);
        if (!TickParser.isValidSymbol(symbol)) {
          throw new RowException("symbol '" + symbol + "' is not 1-12 characters of A-Z 0-9 . - ^");
        }
        long millis = dates.parse(required(cells, cols.time, headers), headers.get(cols.time));
        double price = number(required(cells, cols.price, headers), headers.get(cols.price));
        if (!(price > 0) || !Double.isFinite(price)) {
          throw new RowException(
              "price "
                  + headers.get(cols.price)
                  + " must be a finite number above 0, got "
                  + price);
        }
        long volume = 0;
        String v = optional(cells, cols.volume);
        if (v != null) {
          double d = number(v, headers.get(cols.volume));
          if (d < 0 || !Double.isFinite(d)) {
            throw new RowException(
                "volume " + headers.get(cols.volume) + " must be >= 0, got " + v);
          }
          volume = Math.round(d);
        }
        Double cap = optionalNumber(cells, cols.marketCap, headers);
        Double pe = optionalNumber(cells, cols.peRatio, headers);
        if (cap != null && (cap < 0 || !Double.isFinite(cap))) {
          throw new RowException("market cap must be a finite number >= 0, got " + cap);
        }
        if (pe != null && !Double.isFinite(pe)) {
          throw new RowException("P/E must be finite, got " + pe);
        }
        long n = perSymbol.merge(symbol, 1L, Long::sum) - 1;
        if (config.stepMillis() != null) {
          millis = config.rebaseStartMillis() + n * config.stepMillis();
        }
        out.add(Tick.create(symbol + "-" + n, symbol, price, volume, new Instant(millis), cap, pe));
      } catch (RowException e) {
        rejected++;
        onReject.accept(new RejectedRow(lineNo, e.getMessage()));
      }
    }
    // Stable: ties keep file order.
    out.sort(Comparator.comparingLong(Tick::timestampMillis));
    return new CsvReplay(out, data, blank, rejected);
  }

  @Override
  public @Nullable Tick next() {
    return ticks.hasNext() ? ticks.next() : null;
  }

  /** Non-blank rows after the header. */
  public long dataRows() {
    return dataRows;
  }

  /** Blank rows skipped. */
  public long blankRows() {
    return blankRows;
  }

  /** Rows that could not be mapped to a tick. */
  public long rejectedRows() {
    return rejectedRows;
  }

  static char detectDelimiter(String header) {
    char best = ',';
    int bestCount = 0;
    for (char c : new char[] {',', '\t', ';', '|'}) {
      int count = 0;
      for (int i = 0; i < header.length(); i++) {
        if (header.charAt(i) == c) {
          count++;
        }
      }
      if (count > bestCount) {
        best = c;
        bestCount = count;
      }
    }
    return best;
  }

  /** Splits one CSV line; double quotes protect delimiters, {@code ""} is a literal quote. */
  static List<String> split(String line, char delimiter) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter) {
        cells.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString().trim());
    return cells;
  }

  private static boolean isOnlyDelimiters(String line, char delimiter) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != delimiter && !Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNull(String cell) {
    return cell.isEmpty()
        || cell.equalsIgnoreCase("null")
        || cell.equalsIgnoreCase("nan")
        || cell.equalsIgnoreCase("none")
        || cell.equalsIgnoreCase("n/a");
  }

  private static String required(List<String> cells, int column, List<String> headers)
      throws RowException {
    String cell = cells.get(column);
    if (isNull(cell)) {
      throw new RowException(
          "column " + headers.get(column) + " is " + (cell.isEmpty() ? "empty" : "'" + cell + "'"));
    }
    return cell;
  }

  private static @Nullable String optional(List<String> cells, int column) {
    if (column < 0) {
      return null;
    }
    String cell = cells.get(column);
    return isNull(cell) ? null : cell;
  }

  private static @Nullable Double optionalNumber(
      List<String> cells, int column, List<String> headers) throws RowException {
    String cell = optional(cells, column);
    return cell == null ? null : number(cell, headers.get(column));
  }

  private static double number(String cell, String column) throws RowException {
    try {
      return Double.parseDouble(cell.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new RowException("column " + column + " is not a number: '" + cell + "'");
    }
  }

  /** Positions of the mapped columns in the header; -1 when an optional one is absent. */
  private static final class Columns {
    int symbol = -1;
    int time;
    int price;
    int volume = -1;
    int marketCap = -1;
    int peRatio = -1;

    static Columns resolve(List<String> headers, ReplayConfig config, String name) {
      Columns c = new Columns();
      Map<String, String> o = config.columnOverrides();
      if (config.symbol() == null) {
        c.symbol = find(headers, o.get("symbol"), SYMBOL_HEADERS, "symbol", name, true);
      }
      c.time = find(headers, o.get("timestamp"), TIME_HEADERS, "timestamp", name, true);
      c.price = find(headers, o.get("price"), PRICE_HEADERS, "price", name, true);
      c.volume = find(headers, o.get("volume"), VOLUME_HEADERS, "volume", name, false);
      c.marketCap = find(headers, o.get("market_cap"), CAP_HEADERS, "market_cap", name, false);
      c.peRatio = find(headers, o.get("pe_ratio"), PE_HEADERS, "pe_ratio", name, false);
      return c;
    }

    private static int find(
        List<String> headers,
        @Nullable String explicit,
        List<String> candidates,
        String field,
        String name,
        boolean required) {
      List<String> wanted = explicit != null ? List.of(explicit) : candidates;
      for (String w : wanted) {
        for (int i = 0; i < headers.size(); i++) {
          if (headers.get(i).equalsIgnoreCase(w)) {
            return i;
          }
        }
      }
      if (explicit != null) {
        throw new IllegalArgumentException(
            name + " has no column '" + explicit + "' for " + field + "; header: " + headers);
      }
      if (!required) {
        return -1;
      }
      String hint =
          field.equals("symbol")
              ? " (name it with --column symbol=NAME, or give every row one with --replay-symbol)"
              : " (name it with --column " + field + "=NAME)";
      throw new IllegalArgumentException(
          name
              + " has no "
              + field
              + " column; looked for "
              + candidates
              + hint
              + "; header: "
              + headers);
    }
  }

  /**
   * Dates and date-times in ISO-8601 or a given pattern; a date alone is midnight UTC, a date-time
   * without an offset is UTC, one with an offset (pattern letters X, x, Z, O, V) is that instant. A
   * pattern is resolved strictly, so a day that does not exist (30/02) is an error rather than the
   * last day of the month; {@code yyyy} needs no era for that.
   */
  private static final class DateParser {
    private final @Nullable DateTimeFormatter format;
    private final @Nullable String pattern;

    DateParser(@Nullable String pattern) {
      this.pattern = pattern;
      this.format =
          pattern == null
              ? null
              : new DateTimeFormatterBuilder()
                  .appendPattern(pattern)
                  .parseDefaulting(ChronoField.ERA, 1)
                  .toFormatter(Locale.ROOT)
                  .withResolverStyle(ResolverStyle.STRICT);
    }

    long parse(String cell, String column) throws RowException {
      try {
        if (format == null) {
          if (cell.length() == 10) {
            return LocalDate.parse(cell).toEpochDay() * 86_400_000L;
          }
          return TickTimestamps.parseMillis(cell);
        }
        TemporalAccessor t = format.parse(cell);
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
          return java.time.Instant.from(t).toEpochMilli(); // the pattern has an offset or zone
        }
        if (t.isSupported(ChronoField.HOUR_OF_DAY)) {
          return LocalDateTime.from(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return LocalDate.from(t).toEpochDay() * 86_400_000L;
      } catch (DateTimeParseException | IllegalArgumentException e) {
        String expected = pattern == null ? "an ISO-8601 date or date-time" : "pattern " + pattern;
        throw new RowException(
            "column "
                + column
                + " is not "
                + expected
                + ": '"
                + cell
                + "'"
                + (pattern == null ? " (set --date-format, e.g. dd/MM/yyyy)" : ""));
      } catch (java.time.DateTimeException e) {
        throw new RowException("column " + column + " '" + cell + "': " + e.getMessage());
      }
    }
  }

  /** One row's reason for rejection. */
  private static final class RowException extends Exception {
    private static final long serialVersionUID = 1L;

    RowException(String message) {
      super(message, null, false, false);
    }
  }
}
