package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.transforms.ParseTicks;
import io.tickstream.tick.InvalidTickException;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import io.tickstream.tick.TickParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file source hands on every byte it reads: a line that is not UTF-8 is a {@code NOT_UTF8} dead
 * letter holding exactly its bytes, Windows line ends read as Unix ones, blank lines are counted,
 * and the file's lines are its ticks, dead letters and blank lines. Whole dead-letter rows are
 * asserted, their received time read from a fixed clock.
 */
class FileSourceBytesTest {
  private static final Instant RECEIVED = Instant.parse("2026-12-03T08:00:00Z");

  @TempDir Path tmp;

  private static final Tick FIRST = tick("A-1", "2025-01-02T14:30:00Z");
  private static final Tick SECOND = tick("A-2", "2025-01-02T14:30:01Z");
  private static final Tick THIRD = tick("A-3", "2025-01-02T14:30:02Z");

  /** {"event_id":"A-9","symbol":"A\xFF",...}: a valid timestamp, a byte that is no UTF-8. */
  private static final byte[] NOT_UTF8 =
      concat(
          "{\"event_id\":\"A-9\",\"symbol\":\"A".getBytes(StandardCharsets.US_ASCII),
          new byte[] {(byte) 0xFF},
          ("\",\"price\":1,\"volume\":1,\"timestamp\":\"2025-01-02T14:30:00.500Z\"}")
              .getBytes(StandardCharsets.US_ASCII));

  private static final byte[] MALFORMED = "not json".getBytes(StandardCharsets.US_ASCII);

  /**
   * Seven lines: tick, not UTF-8, blank, tick with CRLF, empty, malformed, tick with no newline.
   */
  private static byte[] content() {
    return concat(
        line(FIRST),
        NOT_UTF8,
        "\n   \t\n".getBytes(StandardCharsets.US_ASCII),
        TickJson.toJson(SECOND).getBytes(StandardCharsets.US_ASCII),
        "\r\n\n".getBytes(StandardCharsets.US_ASCII),
        MALFORMED,
        "\n".getBytes(StandardCharsets.US_ASCII),
        TickJson.toJson(THIRD).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void everyLineOfAPlainFileIsATickADeadLetterOrACountedBlank() throws IOException {
    Path file = Files.write(tmp.resolve("ticks.jsonl"), content());
    check(file);
  }

  @Test
  void aGzipFileReadsTheSame() throws IOException {
    Path file = tmp.resolve("ticks.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content());
    }
    check(file);
  }

  private void check(Path file) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollectionTuple parsed =
        p.apply("Read", ReadTickFiles.from(file.toString()))
            .apply("Parse", ParseTicks.create().withClock(() -> RECEIVED));
    String source = "file:" + file;
    PAssert.that(parsed.get(ParseTicks.TICKS)).containsInAnyOrder(FIRST, SECOND, THIRD);
    PAssert.that(parsed.get(ParseTicks.DEAD_LETTERS))
        .containsInAnyOrder(
            DeadLetter.create(
                RECEIVED,
                Instant.parse("2025-01-02T14:30:00.500Z"),
                source,
                "line=2",
                Base64.getEncoder().encodeToString(NOT_UTF8),
                "base64",
                "NOT_UTF8",
                message(NOT_UTF8),
                ParseTicks.STEP),
            DeadLetter.create(
                RECEIVED,
                SECOND.getTimestamp(),
                source,
                "line=6",
                "not json",
                "utf8",
                "MALFORMED_JSON",
                message(MALFORMED),
                ParseTicks.STEP));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(7, PipelineMetrics.sum(result, PipelineMetrics.RECORDS_READ), "every line");
    assertEquals(2, PipelineMetrics.sum(result, PipelineMetrics.BLANK_LINES));
    assertEquals(5, PipelineMetrics.sum(result, PipelineMetrics.TICKS_IN));
    assertEquals(3, PipelineMetrics.sum(result, PipelineMetrics.TICKS_VALID));
    assertEquals(2, PipelineMetrics.sum(result, PipelineMetrics.DEAD_LETTERS));
  }

  @Test
  void splitsAtEveryOffsetReadEachLineOnce() throws IOException {
    Path file = Files.write(tmp.resolve("split.jsonl"), content());
    List<String> whole = new ArrayList<>();
    for (byte[] line : new ByteLinesOf(content())) {
      if (!ByteLines.isBlank(line)) {
        whole.add(Base64.getEncoder().encodeToString(line));
      }
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    int length = content().length;
    // Splits of one byte start at every offset: every line start, every newline, every byte
    // inside a line; the others add splits that end mid-line and one split for the whole file.
    List<Integer> sizes = List.of(1, 2, 3, 7, 64, length, length + 1);
    for (int size : sizes) {
      PAssert.that(
              p.apply("Read" + size, ReadTickFiles.from(file.toString()).withSplitBytes(size))
                  .apply(
                      "Payload" + size,
                      MapElements.into(TypeDescriptors.strings())
                          .via(
                              (RawRecord r) -> Base64.getEncoder().encodeToString(r.getPayload()))))
          .containsInAnyOrder(whole);
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(
        7L * sizes.size(),
        PipelineMetrics.sum(result, PipelineMetrics.RECORDS_READ),
        "every line of every read, once");
  }

  /** The lines of {@code bytes}, as the file source splits them. */
  private record ByteLinesOf(byte[] bytes) implements Iterable<byte[]> {
    @Override
    public java.util.Iterator<byte[]> iterator() {
      List<byte[]> lines = new ArrayList<>();
      ByteLines reader = new ByteLines(new java.io.ByteArrayInputStream(bytes));
      try {
        byte[] line;
        while ((line = reader.next()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return lines.iterator();
    }
  }

  @Test
  void aRecordsPayloadIsTheLinesBytesExactly() throws IOException {
    Path file =
        Files.write(
            tmp.resolve("one.jsonl"), concat(NOT_UTF8, "\r\n".getBytes(StandardCharsets.US_ASCII)));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PAssert.that(p.apply(ReadTickFiles.from(file.toString())))
        .containsInAnyOrder(RawRecord.create("file:" + file, "line=1", NOT_UTF8));
    p.run().waitUntilFinish();
  }

  /** What the parser says of {@code payload}: the dead letter's message. */
  private static String message(byte[] payload) {
    try {
      TickParser.parse(payload);
      throw new AssertionError("expected a bad payload");
    } catch (InvalidTickException e) {
      return e.getMessage();
    }
  }

  private static Tick tick(String id, String time) {
    return Tick.create(id, "A", 10.5, 100, Instant.parse(time), null, null);
  }

  private static byte[] line(Tick tick) {
    return (TickJson.toJson(tick) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
