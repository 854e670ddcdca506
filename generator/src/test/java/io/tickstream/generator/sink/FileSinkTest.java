package io.tickstream.generator.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.tick.TickTimestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling JSON-lines files in the Firehose layout, checked file by file. */
class FileSinkTest {
  private static final long T0 = TickTimestamps.parseMillis("2025-06-29T13:58:00Z");
  private static final Pattern NAME =
      Pattern.compile(
          "(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/ticks-(\\d{8}T\\d{6})-(\\d{6})\\.jsonl(\\.gz)?");
  private static final long LARGE = 1L << 40;
  private static final Duration LONG = Duration.ofDays(1);

  @TempDir Path dir;

  @Test
  void filesAreLaidOutByTheHourOfTheirFirstRecord() throws IOException {
    // Four minutes of records, one every 10 s, across the 14:00 boundary.
    List<Record> records = records(T0, 10_000, 24);

    Map<String, List<String>> files = write(dir, records, LARGE, LONG, false);

    assertEquals(
        List.of(
            "2025/06/29/13/ticks-20250629T135800-000000.jsonl",
            "2025/06/29/14/ticks-20250629T140000-000001.jsonl"),
        List.copyOf(files.keySet()));
    assertEquals(lines(records.subList(0, 12)), files.get(files.keySet().iterator().next()));
    assertEquals(lines(records), concat(files));
  }

  @Test
  void filesRollBeforeTheyPassTheSizeLimit() throws IOException {
    List<Record> records = records(T0, 1_000, 100);
    long lineBytes = records.get(0).line.length() + 1;
    long maxBytes = lineBytes * 7 + lineBytes / 2; // seven records fit, the eighth does not

    Map<String, List<String>> files = write(dir, records, maxBytes, LONG, false);

    assertEquals(15, files.size());
    for (String name : files.keySet()) {
      long size = Files.size(dir.resolve(name));
      assertTrue(size <= maxBytes, name + " has " + size + " bytes");
    }
    assertEquals(7, files.values().iterator().next().size());
    assertEquals(lines(records), concat(files));
  }

  @Test
  void filesRollAfterTheIntervalOfEventTime() throws IOException {
    List<Record> records = records(T0 + 30_000, 7_000, 60); // 13:58:30 .. 14:05:23

    Map<String, List<String>> files = write(dir, records, LARGE, Duration.ofMinutes(2), false);

    // 13:58:30 starts a file; 14:00:01 starts the next hour; then every 18 records (126 s).
    assertEquals(
        List.of("20250629T135830", "20250629T140001", "20250629T140207", "20250629T140413"),
        files.keySet().stream().map(FileSinkTest::stamp).collect(Collectors.toList()));
    for (Map.Entry<String, List<String>> f : files.entrySet()) {
      List<Long> times =
          records.stream()
              .filter(r -> f.getValue().contains(r.line))
              .map(r -> r.eventMillis)
              .collect(Collectors.toList());
      assertTrue(times.get(times.size() - 1) - times.get(0) < 120_000, f.getKey());
    }
    assertEquals(lines(records), concat(files));
  }

  @Test
  void gzipFilesReadBackToTheSameLines() throws IOException {
    List<Record> records = records(T0, 3_000, 200);

    Map<String, List<String>> files = write(dir, records, 4_096, LONG, true);

    assertTrue(files.size() > 3, "several files: " + files.keySet());
    assertTrue(files.keySet().stream().allMatch(n -> n.endsWith(".jsonl.gz")));
    assertEquals(lines(records), concat(files));
  }

  @Test
  void aFileIsHiddenAsInProgressUntilItIsComplete() throws IOException {
    FileSink sink = new FileSink(dir, LARGE, LONG, false);
    for (Record r : records(T0, 1_000, 10)) {
      sink.send("AAPL", r.eventMillis, r.line);
    }
    sink.flush();

    List<String> during = files(dir);
    assertEquals(1, during.size());
    assertTrue(
        during.get(0).matches("2025/06/29/13/\\.ticks-20250629T135800-000000\\.jsonl\\.inprogress"),
        during::toString);
    assertEquals(0, sink.stats().acknowledged(), "nothing is acknowledged before its file is done");

    sink.close();

    assertEquals(List.of("2025/06/29/13/ticks-20250629T135800-000000.jsonl"), files(dir));
    assertEquals(10, sink.stats().acknowledged());
    assertEquals(1, sink.filesWritten());
  }

  @Test
  void theSameInputGivesTheSameFilesByteForByte() throws IOException {
    // Out-of-order records too: a late one from the previous hour opens a file of its own.
    List<Record> records = new ArrayList<>(records(T0, 2_500, 300));
    records.add(150, new Record(T0 + 1_000, "{\"late\":true}"));
    for (boolean gzip : new boolean[] {false, true}) {
      Path a = dir.resolve("a" + gzip);
      Path b = dir.resolve("b" + gzip);
      write(a, records, 8_192, Duration.ofMinutes(1), gzip);
      write(b, records, 8_192, Duration.ofMinutes(1), gzip);

      List<String> names = files(a);
      assertEquals(names, files(b));
      for (String name : names) {
        assertArrayEquals(
            Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)), name);
      }
    }
  }

  @Test
  void rejectsNonPositiveLimits() {
    assertThrows(IllegalArgumentException.class, () -> new FileSink(dir, 0, LONG, false));
    assertThrows(IllegalArgumentException.class, () -> new FileSink(dir, 1, Duration.ZERO, false));
  }

  // ---------------------------------------------------------------- helpers

  private static final class Record {
    final long eventMillis;
    final String line;

    Record(long eventMillis, String line) {
      this.eventMillis = eventMillis;
      this.line = line;
    }
  }

  /** {@code n} records {@code stepMillis} apart, each a line naming its number and time. */
  private static List<Record> records(long startMillis, long stepMillis, int n) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = startMillis + i * stepMillis;
      out.add(
          new Record(
              t,
              String.format(
                  "{\"event_id\":\"R-%04d\",\"timestamp\":\"%s\"}",
                  i, TickTimestamps.formatIso(t))));
    }
    return out;
  }

  private static List<String> lines(List<Record> records) {
    return records.stream().map(r -> r.line).collect(Collectors.toList());
  }

  /**
   * Writes the records through a sink, closes it, checks that every file under {@code out} is a
   * complete, well-named one whose first line's hour and time are in its path, and returns the
   * files' lines in the order the sink wrote them.
   */
  private static Map<String, List<String>> write(
      Path out, List<Record> records, long maxBytes, Duration roll, boolean gzip)
      throws IOException {
    FileSink sink = new FileSink(out, maxBytes, roll, gzip);
    try (sink) {
      for (Record r : records) {
        sink.send("KEY", r.eventMillis, r.line);
      }
    }
    assertEquals(records.size(), sink.stats().acknowledged());

    List<String> names = files(out);
    names.sort(Comparator.comparing(n -> n.substring(n.length() - (gzip ? 15 : 12))));
    assertEquals(sink.filesWritten(), names.size());
    Map<String, List<String>> files = new LinkedHashMap<>();
    for (String name : names) {
      Matcher m = NAME.matcher(name);
      assertTrue(m.matches(), () -> "unexpected file " + name);
      assertEquals(gzip, m.group(7) != null, name);
      List<String> content = read(out.resolve(name), gzip);
      String first = firstTimestamp(records, content.get(0));
      assertEquals(
          first.substring(0, 13).replace('-', '/').replace('T', '/'), name.substring(0, 13), name);
      assertEquals(first.substring(0, 19).replace("-", "").replace(":", ""), m.group(5), name);
      files.put(name, content);
    }
    return files;
  }

  private static String stamp(String name) {
    Matcher m = NAME.matcher(name);
    assertTrue(m.matches(), name);
    return m.group(5);
  }

  private static String firstTimestamp(List<Record> records, String line) {
    return records.stream()
        .filter(r -> r.line.equals(line))
        .map(r -> TickTimestamps.formatIso(r.eventMillis))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> concat(Map<String, List<String>> files) {
    return files.values().stream().flatMap(List::stream).collect(Collectors.toList());
  }

  private static List<String> read(Path file, boolean gzip) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (gzip) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        bytes = out.toByteArray();
      }
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), file + " ends with a line terminator");
    return List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }

  /** Every regular file under {@code root}, relative, with '/' separators, sorted. */
  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toCollection(ArrayList::new));
    }
  }
}
