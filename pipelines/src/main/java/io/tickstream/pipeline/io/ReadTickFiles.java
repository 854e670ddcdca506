package io.tickstream.pipeline.io;

import io.tickstream.generator.replay.CsvReplay;
import io.tickstream.generator.replay.RejectedRow;
import io.tickstream.generator.replay.ReplayConfig;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads tick files matched by a glob in one of the {@link TickFileFormat}s: JSON lines (gzip or
 * not, by extension), one raw record per line, with {@code line=N} positions for dead letters; one
 * JSON object per file, one record per file ({@code file}); or CSV price history, mapped to ticks
 * by the generator's replay ({@link CsvReplay}), with {@code row=N}.
 *
 * <p>Bounded. Lines are split on bytes ({@link ByteLines}) and handed on undecoded, so a line that
 * is not UTF-8 becomes a {@code NOT_UTF8} dead letter holding exactly the bytes read. Every line is
 * counted ({@value PipelineMetrics#RECORDS_READ}); whitespace-only lines are counted as {@value
 * PipelineMetrics#BLANK_LINES} instead of becoming records, so a file's lines are its ticks, dead
 * letters and blank lines. Each record is stamped with its own event time when readable, else with
 * the previous readable one in the same file, else the file's modification time. Unreadable files
 * fail the run with the file's name; bad lines are not this step's business (they become dead
 * letters later).
 */
public final class ReadTickFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String glob;
  private final TickFileFormat format;

  private ReadTickFiles(String glob, TickFileFormat format) {
    this.glob = glob;
    this.format = format;
  }

  /** JSON-lines files matching {@code glob}. */
  public static ReadTickFiles from(String glob) {
    return new ReadTickFiles(glob, TickFileFormat.JSONL);
  }

  /** The same files, read as {@code format}. */
  public ReadTickFiles inFormat(TickFileFormat format) {
    return new ReadTickFiles(glob, format);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    try {
      return begin
          .apply("Match", FileIO.match().filepattern(glob))
          .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
          .apply(stepName(), ParDo.of(splitter()))
          .setCoder(begin.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private String stepName() {
    switch (format) {
      case JSON_PER_FILE:
        return "WholeFiles";
      case CSV:
        return "CsvRows";
      default:
        return "Lines";
    }
  }

  private DoFn<FileIO.ReadableFile, RawRecord> splitter() {
    switch (format) {
      case JSON_PER_FILE:
        return new WholeFileFn();
      case CSV:
        return new CsvRowsFn();
      default:
        return new LinesFn();
    }
  }

  /** One file, one record: the whole file, unless it is blank. */
  static final class WholeFileFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final Counter read = PipelineMetrics.counter(PipelineMetrics.RECORDS_READ);
    private final Counter blank = PipelineMetrics.counter(PipelineMetrics.BLANK_LINES);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      byte[] payload = file.readFullyAsBytes();
      read.inc();
      if (ByteLines.isBlank(payload)) {
        blank.inc();
        return;
      }
      Long ts = EventTimes.peek(payload);
      out.outputWithTimestamp(
          RawRecord.create("file:" + file.getMetadata().resourceId(), "file", payload),
          new Instant(ts != null ? ts : file.getMetadata().lastModifiedMillis()));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /**
   * One CSV file's rows as ticks in JSON, through the generator's replay mapping with its defaults
   * (ISO dates, the delimiter detected, each row's own date); a row the mapping rejects becomes a
   * record of the row's own bytes, which parsing turns into a dead letter that keeps them.
   */
  static final class CsvRowsFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final Counter read = PipelineMetrics.counter(PipelineMetrics.RECORDS_READ);
    private final Counter blank = PipelineMetrics.counter(PipelineMetrics.BLANK_LINES);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      String source = "file:" + name;
      String text = file.readFullyAsUTF8String();
      String[] lines = text.split("\\r?\\n", -1);
      List<RejectedRow> rejected = new ArrayList<>();
      CsvReplay replay =
          CsvReplay.read(
              new BufferedReader(new StringReader(text)),
              name,
              new ReplayConfig(Map.of(), null, null, null, 0, null),
              rejected::add);
      long fallback = file.getMetadata().lastModifiedMillis();
      Tick tick;
      long n = 0;
      while ((tick = replay.next()) != null) {
        n++;
        fallback = tick.timestampMillis();
        out.outputWithTimestamp(
            RawRecord.create(
                source, "tick=" + n, TickJson.toJson(tick).getBytes(StandardCharsets.UTF_8)),
            new Instant(tick.timestampMillis()));
      }
      for (RejectedRow row : rejected) {
        String line = row.line() <= lines.length ? lines[(int) row.line() - 1] : "";
        out.outputWithTimestamp(
            RawRecord.create(source, "row=" + row.line(), line.getBytes(StandardCharsets.UTF_8)),
            new Instant(fallback));
      }
      read.inc(replay.dataRows() + replay.blankRows());
      blank.inc(replay.blankRows());
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Splits one file into records. */
  static final class LinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final Counter read = PipelineMetrics.counter(PipelineMetrics.RECORDS_READ);
    private final Counter blank = PipelineMetrics.counter(PipelineMetrics.BLANK_LINES);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      String source = "file:" + name;
      long fallback = file.getMetadata().lastModifiedMillis();
      long lines = 0;
      long blanks = 0;
      try (InputStream in = Channels.newInputStream(file.open())) {
        ByteLines reader = new ByteLines(in);
        byte[] line;
        while ((line = reader.next()) != null) {
          lines++;
          if (ByteLines.isBlank(line)) {
            blanks++;
            continue;
          }
          Long ts = EventTimes.peek(line);
          if (ts != null) {
            fallback = ts;
          }
          out.outputWithTimestamp(
              RawRecord.create(source, "line=" + lines, line), new Instant(fallback));
        }
      } finally {
        read.inc(lines);
        blank.inc(blanks);
      }
    }

    /** Records are stamped from the minimum timestamp of a file to their own event time. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
