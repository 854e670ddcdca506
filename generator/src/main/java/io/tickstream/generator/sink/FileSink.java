package io.tickstream.generator.sink;

import io.tickstream.tick.TickTimestamps;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/**
 * JSON lines into rolling files laid out as Kinesis Firehose does: {@code
 * DIR/yyyy/MM/dd/HH/ticks-yyyyMMddTHHmmss-NNNNNN.jsonl[.gz]}.
 *
 * <p>The hour prefix and the name's timestamp come from the event time of a file's first record,
 * and a file is rolled when it would pass {@code maxBytes}, when a record's event hour differs from
 * the file's, or when a record is {@code rollInterval} of event time past the file's first. So the
 * same input always gives the same files, byte for byte, in an empty directory; a name an earlier
 * run left is skipped, never overwritten. A file is written under a hidden {@code .inprogress} name
 * and renamed when complete, so readers never see half a file. Bytes are counted before
 * compression.
 */
public final class FileSink implements TickSink {
  private static final long MILLIS_PER_HOUR = 3_600_000L;

  private final Path dir;
  private final long maxBytes;
  private final long rollIntervalMillis;
  private final boolean gzip;
  private final SinkStats stats = new SinkStats();

  private OutputStream out;
  private Path inProgress;
  private Path target;
  private long fileStartMillis;
  private long fileBytes;
  private long fileRecords;
  private long sequence;
  private long filesWritten;

  public FileSink(Path dir, long maxBytes, Duration rollInterval, boolean gzip) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("max file size must be positive, got " + maxBytes);
    }
    if (rollInterval.isNegative() || rollInterval.isZero()) {
      throw new IllegalArgumentException("roll interval must be positive, got " + rollInterval);
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.rollIntervalMillis = rollInterval.toMillis();
    this.gzip = gzip;
  }

  @Override
  public void send(String key, long eventTimeMillis, String line) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (out != null
        && (fileBytes + bytes.length + 1 > maxBytes
            || Math.floorDiv(eventTimeMillis, MILLIS_PER_HOUR)
                != Math.floorDiv(fileStartMillis, MILLIS_PER_HOUR)
            || eventTimeMillis - fileStartMillis >= rollIntervalMillis)) {
      closeFile();
    }
    if (out == null) {
      openFile(eventTimeMillis);
    }
    out.write(bytes);
    out.write('\n');
    fileBytes += bytes.length + 1;
    fileRecords++;
  }

  private void openFile(long eventTimeMillis) throws IOException {
    String iso = TickTimestamps.formatIso(eventTimeMillis); // yyyy-MM-ddTHH:mm:ss.SSSZ
    Path hourDir =
        dir.resolve(iso.substring(0, 4))
            .resolve(iso.substring(5, 7))
            .resolve(iso.substring(8, 10))
            .resolve(iso.substring(11, 13));
    Files.createDirectories(hourDir);
    String stamp =
        iso.substring(0, 4)
            + iso.substring(5, 7)
            + iso.substring(8, 10)
            + "T"
            + iso.substring(11, 13)
            + iso.substring(14, 16)
            + iso.substring(17, 19);
    String name;
    // Never overwrite an earlier run's file: a fresh directory still gets the same names each run.
    do {
      name = String.format("ticks-%s-%06d.jsonl%s", stamp, sequence++, gzip ? ".gz" : "");
      target = hourDir.resolve(name);
    } while (Files.exists(target));
    inProgress = hourDir.resolve("." + name + ".inprogress");
    OutputStream raw = Files.newOutputStream(inProgress);
    out = new BufferedOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16);
    fileStartMillis = eventTimeMillis;
    fileBytes = 0;
    fileRecords = 0;
  }

  private void closeFile() throws IOException {
    out.close();
    Files.move(inProgress, target, StandardCopyOption.ATOMIC_MOVE);
    stats.addAcknowledged(fileRecords);
    filesWritten++;
    out = null;
  }

  /**
   * Files are complete only when closed, so records are acknowledged as their file is renamed;
   * flush only pushes buffered bytes to the open file.
   */
  @Override
  public void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      closeFile();
    }
  }

  /** Files completed so far. */
  public long filesWritten() {
    return filesWritten;
  }

  @Override
  public SinkStats stats() {
    return stats;
  }

  @Override
  public String describe() {
    return "file " + dir;
  }
}
