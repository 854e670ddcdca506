package io.tickstream.pipeline.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * An unbounded source read in batches: each element is up to {@code maxBatch} consecutive records
 * of the wrapped source with their own timestamps, stamped with the earliest of them. Runners pay a
 * fixed cost per record a source hands out (Beam on Flink folds all the task's metrics into Flink's
 * after every {@code advance()}), which a batch pays once; {@link ReadGenerator} emits each record
 * again at its own timestamp right after.
 *
 * <p>A batch holds only what the wrapped reader has ready now, so pacing and latency are the
 * wrapped source's. The watermark and the checkpoint mark are the wrapped reader's: both are asked
 * for between batches, when every record read from it has been handed out.
 */
final class BatchedSource<T, C extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<TimestampedValue<T>>, C> {
  private static final long serialVersionUID = 1L;

  private final UnboundedSource<T, C> source;
  private final int maxBatch;

  private BatchedSource(UnboundedSource<T, C> source, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    if (source.requiresDeduping()) {
      // A batch has no single record id for the runner to deduplicate by.
      throw new IllegalArgumentException("cannot batch a source that requires deduping: " + source);
    }
    this.source = source;
    this.maxBatch = maxBatch;
  }

  static <T, C extends UnboundedSource.CheckpointMark> BatchedSource<T, C> of(
      UnboundedSource<T, C> source, int maxBatch) {
    return new BatchedSource<>(source, maxBatch);
  }

  UnboundedSource<T, C> source() {
    return source;
  }

  @Override
  public List<BatchedSource<T, C>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<BatchedSource<T, C>> out = new ArrayList<>();
    for (UnboundedSource<T, C> split : source.split(desiredNumSplits, options)) {
      out.add(new BatchedSource<>(split, maxBatch));
    }
    return out;
  }

  @Override
  public UnboundedReader<List<TimestampedValue<T>>> createReader(
      PipelineOptions options, @Nullable C checkpoint) throws IOException {
    return new Reader(source.createReader(options, checkpoint));
  }

  @Override
  public Coder<C> getCheckpointMarkCoder() {
    return source.getCheckpointMarkCoder();
  }

  @Override
  public Coder<List<TimestampedValue<T>>> getOutputCoder() {
    return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(source.getOutputCoder()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    builder.add(DisplayData.item("maxBatch", maxBatch)).include("source", source);
  }

  /** Fills a batch from the wrapped reader until it is full or has nothing ready. */
  private final class Reader extends UnboundedReader<List<TimestampedValue<T>>> {
    private final UnboundedReader<T> reader;
    private boolean started;
    private @Nullable List<TimestampedValue<T>> current;
    private long currentMillis;

    Reader(UnboundedReader<T> reader) {
      this.reader = reader;
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      List<TimestampedValue<T>> batch = new ArrayList<>(maxBatch);
      long earliest = Long.MAX_VALUE;
      boolean more = started ? reader.advance() : reader.start();
      started = true;
      while (more) {
        Instant t = reader.getCurrentTimestamp();
        batch.add(TimestampedValue.of(reader.getCurrent(), t));
        earliest = Math.min(earliest, t.getMillis());
        more = batch.size() < maxBatch && reader.advance();
      }
      current = batch.isEmpty() ? null : batch;
      currentMillis = earliest;
      return current != null;
    }

    @Override
    public List<TimestampedValue<T>> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return new Instant(currentMillis);
    }

    @Override
    public Instant getWatermark() {
      return reader.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return reader.getCheckpointMark();
    }

    @Override
    public UnboundedSource<List<TimestampedValue<T>>, ?> getCurrentSource() {
      return BatchedSource.this;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
