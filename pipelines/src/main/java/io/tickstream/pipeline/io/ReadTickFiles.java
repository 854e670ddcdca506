package io.tickstream.pipeline.io;

import io.tickstream.pipeline.model.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
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
 * non-empty line, with {@code line=N} positions for dead letters.
 *
 * <p>Bounded. Each record is stamped with its own event time when readable, else with the previous
 * readable one in the same file, else the file's modification time. Unreadable files fail the run
 * with the file's name; bad lines are not this step's business (they become dead letters later).
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
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      String source = "file:" + name;
      long fallback = file.getMetadata().lastModifiedMillis();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(file.open()), StandardCharsets.UTF_8),
              1 << 16)) {
        String line;
        long n = 0;
        while ((line = reader.readLine()) != null) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          byte[] payload = line.getBytes(StandardCharsets.UTF_8);
          Long ts = EventTimes.peek(payload);
          if (ts != null) {
            fallback = ts;
          }
          out.outputWithTimestamp(
              RawRecord.create(source, "line=" + n, payload), new Instant(fallback));
        }
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
