package io.tickstream.generator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.testing.SharedData;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import io.tickstream.tick.TickParser;
import io.tickstream.tick.TickTimestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay of the real Hang Seng file and of the messy copies of that data set users have: every row
 * either becomes a tick or is reported with its 1-based line number and a reason.
 */
class CsvReplayTest {
  private static final String HSI = "indexProcessed-HSI.csv";
  private static final String HEADER = "Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD";
  private static final long START = TickTimestamps.parseMillis("2025-01-02T14:30:00Z");
  private static final int HSI_ROWS = 5_692;

  /** The real file's lines, header first, without terminators. */
  private static List<String> hsiLines;

  @TempDir Path dir;

  @BeforeAll
  static void readRealFile() throws IOException {
    hsiLines = Files.readAllLines(SharedData.file(HSI), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- the real file

  /**
   * The file has no null cells, blank rows or duplicated dates (checked by hand: 5,693 lines of 9
   * cells), so every row becomes a tick.
   */
  @Test
  void realHangSengFileReplaysEveryRowWithItsOwnDates() throws Exception {
    Result r = replay(SharedData.file(HSI), config(null, null, null));

    assertEquals(HSI_ROWS + 1, hsiLines.size());
    assertEquals(HSI_ROWS, r.replay.dataRows());
    assertEquals(0, r.replay.blankRows());
    assertEquals(0, r.replay.rejectedRows());
    assertEquals(List.of(), r.rejected);
    assertEquals(HSI_ROWS, r.ticks.size());
    assertEquals(
        Tick.create(
            "HSI-0", "HSI", 2568.300049, 0, Instant.parse("1986-12-31T00:00:00Z"), null, null),
        r.ticks.get(0));
    assertEquals(
        Tick.create(
            "HSI-5691",
            "HSI",
            22296.75,
            1_626_022_600L,
            Instant.parse("2010-01-08T00:00:00Z"),
            null,
            null),
        r.ticks.get(HSI_ROWS - 1));
    for (int i = 0; i < HSI_ROWS; i++) {
      Tick t = r.ticks.get(i);
      assertEquals("HSI-" + i, t.getEventId());
      String[] cells = hsiLines.get(i + 1).split(",");
      assertEquals(Double.parseDouble(cells[5]), t.getPrice(), "Close of row " + (i + 2));
      assertEquals(
          Math.round(Double.parseDouble(cells[7])), t.getVolume(), "Volume of row " + (i + 2));
      assertEquals(cells[1] + "T00:00:00.000Z", TickTimestamps.formatIso(t.timestampMillis()));
      if (i > 0) {
        assertTrue(t.timestampMillis() > r.ticks.get(i - 1).timestampMillis(), "dates ascend");
      }
      assertEquals(t, TickParser.parse(TickJson.toJson(t)), "a valid tick");
    }
  }

  @Test
  void realFileRebasedToStartWithAFixedStep() throws IOException {
    List<Tick> own = replay(SharedData.file(HSI), config(null, null, null)).ticks;

    Result r = replay(SharedData.file(HSI), config(null, null, 1_000L));

    assertEquals(HSI_ROWS, r.ticks.size());
    for (int n = 0; n < HSI_ROWS; n++) {
      Tick t = r.ticks.get(n);
      assertEquals("HSI-" + n, t.getEventId());
      assertEquals(START + n * 1_000L, t.timestampMillis());
      assertEquals(own.get(n).getPrice(), t.getPrice());
      assertEquals(own.get(n).getVolume(), t.getVolume());
    }
  }

  @Test
  void anotherColumnCanBeThePrice() throws IOException {
    ReplayConfig usd = new ReplayConfig(Map.of("price", "closeusd"), null, null, null, START, null);

    Result r = replay(SharedData.file(HSI), usd);

    assertEquals(HSI_ROWS, r.ticks.size());
    assertEquals(333.87900637, r.ticks.get(0).getPrice());
    assertEquals(2898.5775, r.ticks.get(HSI_ROWS - 1).getPrice());
  }

  // ---------------------------------------------------------------- messy copies of the same data

  @Test
  void windowsLineEndingsAndAByteOrderMarkChangeNothing() throws IOException {
    List<String> rows = hsiLines.subList(0, 201);
    Path file = write("crlf.csv", "\uFEFF" + String.join("\r\n", rows) + "\r\n");

    Result r = replay(file, config(null, null, null));

    assertEquals(clean(rows), r.ticks);
    assertEquals(List.of(), r.rejected);
  }

  @Test
  void tabSeparatedFilesAreDetectedFromTheHeader() throws IOException {
    List<String> rows =
        hsiLines.subList(0, 201).stream()
            .map(l -> l.replace(',', '\t'))
            .collect(Collectors.toList());
    Path file = write("tabs.tsv", String.join("\n", rows) + "\n");

    assertEquals(clean(hsiLines.subList(0, 201)), replay(file, config(null, null, null)).ticks);
    assertEquals(clean(hsiLines.subList(0, 201)), replay(file, config(null, '\t', null)).ticks);
  }

  @Test
  void dayFirstDatesNeedTheDateFormatAndAreReportedWithoutIt() throws IOException {
    List<String> rows = dayFirst(hsiLines.subList(0, 31));
    Path file = write("dmy.csv", String.join("\n", rows) + "\n");

    Result withFormat = replay(file, config("dd/MM/yyyy", null, null));
    Result without = replay(file, config(null, null, null));

    assertEquals(clean(hsiLines.subList(0, 31)), withFormat.ticks);
    assertEquals(List.of(), withFormat.rejected);
    assertEquals(0, without.ticks.size());
    assertEquals(30, without.replay.rejectedRows());
    assertEquals(
        new RejectedRow(
            2,
            "column Date is not an ISO-8601 date or date-time: '31/12/1986'"
                + " (set --date-format, e.g. dd/MM/yyyy)"),
        without.rejected.get(0));
    for (int i = 0; i < 30; i++) {
      assertEquals(i + 2, without.rejected.get(i).line());
    }
  }

  /** A day that does not exist is a bad row, not the last day of the month. */
  @Test
  void impossibleDayFirstDatesAreRejectedNotMovedToAnotherDay() throws IOException {
    Path file =
        write(
            "feb30.csv",
            HEADER
                + "\nHSI,28/02/2020,1,1,1,100.5,1,0,1"
                + "\nHSI,30/02/2020,1,1,1,101.5,1,0,1"
                + "\nHSI,31/04/2021,1,1,1,102.5,1,0,1"
                + "\nHSI,29/02/2021,1,1,1,103.5,1,0,1"
                + "\nHSI,29/02/2024,1,1,1,104.5,1,0,1\n");

    Result r = replay(file, config("dd/MM/yyyy", null, null));

    assertEquals(
        List.of(100.5, 104.5),
        r.ticks.stream().map(t -> t.getPrice()).collect(Collectors.toList()));
    assertEquals(List.of(3L, 4L, 5L), lines(r.rejected));
    for (RejectedRow row : r.rejected) {
      assertTrue(row.reason().startsWith("column Date "), row::toString);
      assertTrue(row.reason().contains("dd/MM/yyyy"), row::toString);
    }
  }

  @Test
  void dateTimesInAPatternKeepTheirTimeOfDay() throws IOException {
    Path file =
        write(
            "times.csv",
            "Symbol;Datetime;Price;Volume\n"
                + "ABC;02/01/2025 09:30;10.5;100\n"
                + "ABC;02/01/2025 16:00;11;\n");

    Result r = replay(file, config("dd/MM/yyyy HH:mm", null, null));

    assertEquals(
        List.of(
            Tick.create(
                "ABC-0", "ABC", 10.5, 100, Instant.parse("2025-01-02T09:30:00Z"), null, null),
            Tick.create("ABC-1", "ABC", 11, 0, Instant.parse("2025-01-02T16:00:00Z"), null, null)),
        r.ticks);
  }

  /** Like the contract's timestamps: an offset in the pattern counts, no offset means UTC. */
  @Test
  void anOffsetInThePatternIsHonoured() throws IOException {
    Path file =
        write(
            "offsets.csv",
            "Symbol,Timestamp,Price\n"
                + "ABC,02/01/2025 10:00 +01:00,10\n"
                + "ABC,02/01/2025 10:00 -05:30,11\n"
                + "ABC,02/01/2025 10:00 Z,12\n");

    Result r = replay(file, config("dd/MM/yyyy HH:mm XXX", null, null));

    assertEquals(
        List.of("2025-01-02T09:00:00.000Z", "2025-01-02T10:00:00.000Z", "2025-01-02T15:30:00.000Z"),
        r.ticks.stream()
            .map(t -> TickTimestamps.formatIso(t.timestampMillis()))
            .collect(Collectors.toList()));
    assertEquals(
        List.of(10.0, 12.0, 11.0),
        r.ticks.stream().map(t -> t.getPrice()).collect(Collectors.toList()));
  }

  /**
   * The worst copy: CRLF, tabs, day-first dates, {@code null}, {@code NaN} and empty cells, blank
   * rows and rows of the wrong width. Each bad row is reported with its line in the file (1-based,
   * counting the header and the blank rows) and the column.
   */
  @Test
  void nullCellsBlankRowsAndWrongWidthsAreReportedByLineAndColumn() throws IOException {
    List<String> rows = new ArrayList<>(dayFirst(hsiLines.subList(0, 21))); // rows.get(k): row k
    setCell(rows, 3, 5, "null"); // Close
    setCell(rows, 5, 6, ""); // Adj Close: not mapped, does not matter
    setCell(rows, 6, 7, "null"); // Volume: means 0
    setCell(rows, 8, 0, "NULL"); // Index
    rows.set(9, rows.get(9).substring(0, rows.get(9).lastIndexOf('\t'))); // 8 cells
    rows.set(10, rows.get(10) + "\textra"); // 10 cells
    setCell(rows, 12, 1, "null"); // Date
    setCell(rows, 15, 5, "NaN"); // Close
    setCell(rows, 17, 0, "hsi"); // lower case is upper-cased
    setCell(rows, 19, 5, "22x.5"); // Close
    setCell(rows, 20, 1, ""); // Date
    rows.addAll(14, List.of("", "\t\t\t\t\t\t\t\t", "   ")); // rows 14.. move 3 lines down
    rows.addAll(List.of("", ""));
    Path file = write("messy.tsv", String.join("\r\n", rows) + "\r\n");

    Result r = replay(file, config("dd/MM/yyyy", null, null));

    assertEquals(
        List.of(
            new RejectedRow(4, "column Close is 'null'"),
            new RejectedRow(9, "column Index is 'NULL'"),
            new RejectedRow(10, "expected 9 cells as in the header, got 8"),
            new RejectedRow(11, "expected 9 cells as in the header, got 10"),
            new RejectedRow(13, "column Date is 'null'"),
            new RejectedRow(19, "column Close is 'NaN'"),
            new RejectedRow(23, "column Close is not a number: '22x.5'"),
            new RejectedRow(24, "column Date is empty")),
        r.rejected);
    assertEquals(20, r.replay.dataRows());
    assertEquals(5, r.replay.blankRows());
    assertEquals(8, r.replay.rejectedRows());

    List<Tick> clean = clean(hsiLines.subList(0, 21));
    int[] accepted = {1, 2, 4, 5, 6, 7, 11, 13, 14, 16, 17, 18};
    assertEquals(accepted.length, r.ticks.size());
    for (int i = 0; i < accepted.length; i++) {
      Tick expected = clean.get(accepted[i] - 1);
      Tick t = r.ticks.get(i);
      assertEquals(
          Tick.create(
              "HSI-" + i, "HSI", expected.getPrice(), 0, expected.getTimestamp(), null, null),
          t,
          "ids count accepted rows only");
    }
  }

  /** Bytes a spreadsheet wrote in Windows-1252 reject only the row they are in. */
  @Test
  void aRowThatIsNotUtf8IsRejectedNotFatal() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(
        (HEADER + "\nHSI,1986-12-31,1,1,1,2568.3,1,0,1\n").getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(
        "HSI,1987-01-02,1,1,1,2540.1\u00a3,1,0,1\n".getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes("HSI,1987-01-05,1,1,1,2552.4,1,0,1\n".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("cp1252.csv");
    Files.write(file, bytes.toByteArray());

    Result r = replay(file, config(null, null, null));

    assertEquals(
        List.of(2568.3, 2552.4),
        r.ticks.stream().map(t -> t.getPrice()).collect(Collectors.toList()));
    assertEquals(List.of(3L), lines(r.rejected));
    assertTrue(r.rejected.get(0).reason().startsWith("column Close "), r.rejected.get(0)::toString);
  }

  @Test
  void otherDelimitersQuotesAndAFixedSymbol() throws IOException {
    Path semicolons =
        write(
            "q.csv",
            "\"Date\";\"Adj Close\";\"Close\"\n"
                + "2025-01-02;\"1;5\";\"101.5\"\n"
                + "\"2025-01-03T10:00:00+01:00\";x;\"102\"\"\"\n");
    ReplayConfig fixed = new ReplayConfig(Map.of(), null, null, "^HSI", START, null);

    Result r = replay(semicolons, fixed);

    assertEquals(
        List.of(
            Tick.create(
                "^HSI-0", "^HSI", 101.5, 0, Instant.parse("2025-01-02T00:00:00Z"), null, null)),
        r.ticks);
    assertEquals(List.of(new RejectedRow(3, "column Close is not a number: '102\"'")), r.rejected);
  }

  // ---------------------------------------------------------------- ordering and ids

  @Test
  void aFileSortedBySymbolReplaysInEventTimeOrder() throws IOException {
    Path file =
        write(
            "by-symbol.csv",
            "Ticker,Date,Close,Volume,Market_Cap,PE_Ratio\n"
                + "ZZZ,2025-01-03,3,30,,\n"
                + "ZZZ,2025-01-01,1,10,1000,12.5\n"
                + "ZZZ,2025-01-02,2,20,2000,null\n"
                + "AAA,2025-01-02,20,200,NaN,-4\n"
                + "AAA,2025-01-01,10,100,,\n"
                + "MMM,2025-01-02T12:00:00Z,200,2,,\n");

    Result r = replay(file, config(null, null, null));

    assertEquals(
        List.of("ZZZ-1", "AAA-1", "ZZZ-2", "AAA-0", "MMM-0", "ZZZ-0"),
        r.ticks.stream().map(t -> t.getEventId()).collect(Collectors.toList()),
        "event time order, ties in file order, ids numbered per symbol in file order");
    Tick zzz1 = r.ticks.get(0);
    assertEquals(1000.0, zzz1.getMarketCap());
    assertEquals(12.5, zzz1.getPeRatio());
    assertNull(r.ticks.get(2).getPeRatio());
    assertNull(r.ticks.get(3).getMarketCap());
    assertEquals(-4.0, r.ticks.get(3).getPeRatio());

    Result rebased = replay(file, config(null, null, 60_000L));
    assertEquals(
        List.of("ZZZ-0", "AAA-0", "MMM-0", "ZZZ-1", "AAA-1", "ZZZ-2"),
        rebased.ticks.stream().map(t -> t.getEventId()).collect(Collectors.toList()),
        "rebased: row n of every symbol at start + n steps");
    for (Tick t : rebased.ticks) {
      long n = Long.parseLong(t.getEventId().substring(4));
      assertEquals(START + n * 60_000, t.timestampMillis(), t::toString);
    }
  }

  // ---------------------------------------------------------------- whole-file problems

  @Test
  void aMissingPriceColumnNamesTheColumnAndTheFile() throws IOException {
    Path file = write("noprice.csv", "Index,Date,Open,High\nHSI,1986-12-31,1,2\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> replay(file, config(null, null, null)));

    assertTrue(e.getMessage().startsWith(file + " has no price column"), e::getMessage);
    assertTrue(e.getMessage().contains("--column price=NAME"), e::getMessage);
    assertTrue(e.getMessage().contains("[Index, Date, Open, High]"), e::getMessage);
  }

  @Test
  void anExplicitColumnThatIsAbsentIsNamed() throws IOException {
    Path file = write("hsi.csv", HEADER + "\n");
    ReplayConfig config =
        new ReplayConfig(Map.of("price", "Last Trade"), null, null, null, 0, null);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> replay(file, config));

    assertTrue(e.getMessage().contains("no column 'Last Trade' for price"), e::getMessage);
  }

  @Test
  void anEmptyFileOrAMissingSymbolColumnIsRefused() throws IOException {
    Path empty = write("empty.csv", "\r\n\r\n");
    Path noSymbol = write("nosym.csv", "Date,Close\n2025-01-02,1\n");

    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> replay(empty, config(null, null, null)))
            .getMessage()
            .contains("is empty"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> replay(noSymbol, config(null, null, null)))
            .getMessage()
            .contains("--replay-symbol"));
  }

  @Test
  void aHeaderOnlyFileIsAnEmptySource() throws IOException {
    Result r = replay(write("header.csv", HEADER + "\r\n"), config(null, null, null));

    assertEquals(List.of(), r.ticks);
    assertEquals(0, r.replay.dataRows());
  }

  @Test
  void configRejectsUnknownFieldsAndANonPositiveStep() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReplayConfig(Map.of("bid", "Bid"), null, null, null, 0, null));
    assertThrows(
        IllegalArgumentException.class, () -> new ReplayConfig(Map.of(), null, null, null, 0, 0L));
  }

  // ---------------------------------------------------------------- helpers

  private static ReplayConfig config(
      @Nullable String dateFormat, @Nullable Character delimiter, @Nullable Long stepMillis) {
    return new ReplayConfig(Map.of(), dateFormat, delimiter, null, START, stepMillis);
  }

  /** The ticks the clean, comma-separated ISO-dated lines give. */
  private List<Tick> clean(List<String> lines) throws IOException {
    Path file = write("clean-" + lines.size() + ".csv", String.join("\n", lines) + "\n");
    Result r = replay(file, config(null, null, null));
    assertEquals(List.of(), r.rejected);
    assertEquals(lines.size() - 1, r.ticks.size());
    return r.ticks;
  }

  /** The lines tab-separated with dates as dd/MM/yyyy, as a European spreadsheet exports them. */
  private static List<String> dayFirst(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String[] c = line.split(",");
      if (c[1].matches("\\d{4}-\\d{2}-\\d{2}")) {
        c[1] = c[1].substring(8, 10) + "/" + c[1].substring(5, 7) + "/" + c[1].substring(0, 4);
      }
      out.add(String.join("\t", c));
    }
    return out;
  }

  /** Replaces cell {@code column} of tab-separated {@code rows.get(row)}. */
  private static void setCell(List<String> rows, int row, int column, String value) {
    String[] cells = rows.get(row).split("\t", -1);
    cells[column] = value;
    rows.set(row, String.join("\t", cells));
  }

  private static List<Long> lines(List<RejectedRow> rows) {
    return rows.stream().map(RejectedRow::line).collect(Collectors.toList());
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static Result replay(Path file, ReplayConfig config) throws IOException {
    List<RejectedRow> rejected = new ArrayList<>();
    CsvReplay replay = CsvReplay.open(file, config, rejected::add);
    List<Tick> ticks = new ArrayList<>();
    for (Tick t = replay.next(); t != null; t = replay.next()) {
      ticks.add(t);
    }
    return new Result(replay, ticks, rejected);
  }

  private static final class Result {
    final CsvReplay replay;
    final List<Tick> ticks;
    final List<RejectedRow> rejected;

    Result(CsvReplay replay, List<Tick> ticks, List<RejectedRow> rejected) {
      this.replay = replay;
      this.ticks = ticks;
      this.rejected = rejected;
    }
  }
}
