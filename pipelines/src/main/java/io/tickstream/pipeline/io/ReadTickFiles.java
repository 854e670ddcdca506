package io.tickstream.pipeline.io;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
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
 * Reads JSON-lines tick files (gzip or not, by extension) matched by a glob, one raw record per
 * line, with {@code line=N} positions for dead letters.
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

  private ReadTickFiles(String glob) {
    this.glob = glob;
  }

  public static ReadTickFiles from(String glob) {
    return new ReadTickFiles(glob);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    try {
      return begin
          .apply("Match", FileIO.match().filepattern(glob))
          .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
          .apply("Lines", ParDo.of(new LinesFn()))
          .setCoder(begin.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
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
