package io.tickstream.generator.sink;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** JSON lines to standard output (or any stream), buffered; acknowledged once flushed. */
public final class StdoutSink implements TickSink {
  private final OutputStream out;
  private final SinkStats stats = new SinkStats();
  private long unflushed;

  /** A sink writing to this process's standard output. */
  public StdoutSink() {
    this(new FileOutputStream(FileDescriptor.out));
  }

  /** A sink writing to {@code out}, which it closes. */
  public StdoutSink(OutputStream out) {
    this.out = new BufferedOutputStream(out, 1 << 16);
  }

  @Override
  public void send(String key, long eventTimeMillis, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    unflushed++;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
    stats.addAcknowledged(unflushed);
    unflushed = 0;
  }

  @Override
  public void close() throws IOException {
    flush();
    out.close();
  }

  @Override
  public SinkStats stats() {
    return stats;
  }

  @Override
  public String describe() {
    return "stdout";
  }
}
