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
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadableFileCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
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
  /** Uncompressed JSON-lines files larger than this are read in splits of about this size. */
  static final long SPLIT_BYTES = 64L << 20;

  private final String glob;
  private final TickFileFormat format;
  private final long splitBytes;

  private ReadTickFiles(String glob, TickFileFormat format, long splitBytes) {
    this.glob = glob;
    this.format = format;
    this.splitBytes = splitBytes;
  }

  /** JSON-lines files matching {@code glob}. */
  public static ReadTickFiles from(String glob) {
    return new ReadTickFiles(glob, TickFileFormat.JSONL, SPLIT_BYTES);
  }

  /** The same files, read as {@code format}. */
  public ReadTickFiles inFormat(TickFileFormat format) {
    return new ReadTickFiles(glob, format, splitBytes);
  }

  /** Splits of {@code bytes} instead of {@value #SPLIT_BYTES} (tests split small files). */
  ReadTickFiles withSplitBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("split size must be positive: " + bytes);
    }
    return new ReadTickFiles(glob, format, bytes);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    PCollection<FileIO.ReadableFile> files =
        begin
            .apply("Match", FileIO.match().filepattern(glob))
            .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO));
    PCollection<RawRecord> records;
    switch (format) {
      case JSON_PER_FILE:
        records = files.apply("WholeFiles", ParDo.of(new WholeFileFn()));
        break;
      case CSV:
        records = files.apply("CsvRows", ParDo.of(new CsvRowsFn()));
        break;
      default:
        records =
            files
                .apply("SplitLargeFiles", ParDo.of(new SplitFn(splitBytes)))
                .setCoder(
                    KvCoder.of(
                        ReadableFileCoder.of(), KvCoder.of(VarLongCoder.of(), VarLongCoder.of())))
                .apply("SpreadSplits", Reshuffle.viaRandomKey())
                .apply("Lines", ParDo.of(new LinesFn()));
    }
    try {
      return records.setCoder(
          begin.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A file as byte ranges {@code [start, end)} of about the split size; a compressed or small file
   * is one range to its end ({@code end} = {@link Long#MAX_VALUE}).
   */
  static final class SplitFn
      extends DoFn<FileIO.ReadableFile, KV<FileIO.ReadableFile, KV<Long, Long>>> {
    private final long splitBytes;

    SplitFn(long splitBytes) {
      this.splitBytes = splitBytes;
    }

    @ProcessElement
    public void process(
        @Element FileIO.ReadableFile file,
        OutputReceiver<KV<FileIO.ReadableFile, KV<Long, Long>>> out) {
      long size = file.getMetadata().sizeBytes();
      if (file.getCompression() != Compression.UNCOMPRESSED || size <= splitBytes) {
        out.output(KV.of(file, KV.of(0L, Long.MAX_VALUE)));
        return;
      }
      long splits = (size + splitBytes - 1) / splitBytes;
      long each = (size + splits - 1) / splits;
      for (long start = 0; start < size; start += each) {
        out.output(KV.of(file, KV.of(start, start + each >= size ? Long.MAX_VALUE : start + each)));
      }
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

  /**
   * Splits one range of a file into records: the lines that start in it. A whole file's records are
   * at {@code line=N}; a split's at {@code offset=N}, the byte where the line starts, since the
   * lines before it are not counted.
   */
  static final class LinesFn extends DoFn<KV<FileIO.ReadableFile, KV<Long, Long>>, RawRecord> {
    private final Counter read = PipelineMetrics.counter(PipelineMetrics.RECORDS_READ);
    private final Counter blank = PipelineMetrics.counter(PipelineMetrics.BLANK_LINES);

    @ProcessElement
    public void process(
        @Element KV<FileIO.ReadableFile, KV<Long, Long>> range, OutputReceiver<RawRecord> out)
        throws IOException {
      FileIO.ReadableFile file = range.getKey();
      long start = range.getValue().getKey();
      long end = range.getValue().getValue();
      boolean whole = start == 0 && end == Long.MAX_VALUE;
      String name = file.getMetadata().resourceId().toString();
      String source = "file:" + name;
      long fallback = file.getMetadata().lastModifiedMillis();
      long lines = 0;
      long blanks = 0;
      try (InputStream in = open(file, start)) {
        ByteLines reader = new ByteLines(in);
        // A split starts after the first newline at or after start - 1: the line that starts
        // exactly at start is its, one that started before belongs to the split before.
        long base = start == 0 ? 0 : start - 1;
        if (start > 0 && reader.next() == null) {
          return;
        }
        byte[] line;
        while (base + reader.consumed() < end) {
          long at = base + reader.consumed();
          if ((line = reader.next()) == null) {
            break;
          }
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
              RawRecord.create(source, whole ? "line=" + lines : "offset=" + at, line),
              new Instant(fallback));
        }
      } finally {
        read.inc(lines);
        blank.inc(blanks);
      }
    }

    private static InputStream open(FileIO.ReadableFile file, long start) throws IOException {
      if (start == 0) {
        return Channels.newInputStream(file.open());
      }
      SeekableByteChannel channel = file.openSeekable();
      channel.position(start - 1);
      return Channels.newInputStream(channel);
    }

    /** Records are stamped from the minimum timestamp of a file to their own event time. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
