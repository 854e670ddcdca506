package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.BundleCounter;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Gathers a bundle's records into one batch per file window and file group, so that the write's
 * shuffle and per-window state handle a batch where they would handle every record.
 *
 * <p>Input: batches of records. A record's file window is the fixed window of {@code
 * fileWindowMillis} that holds its event time: {@code eventTime} of the record, or, without that
 * function, the timestamp of the batch it came in (for records that came one by one). A batch's
 * timestamp must be at most its records' event times, as runners allow no output earlier than its
 * input.
 *
 * <p>Output: (file group, records), stamped with the file window's last instant, in the input's
 * window; the write then windows them into file windows by that stamp. The stamp decides lateness,
 * panes and expiry per window, as each record's own time would. A batch is emitted when it reaches
 * {@code maxBatch} records or when the bundle ends; nothing is held across bundles, so records are
 * never delayed beyond their bundle, and a retried bundle re-forms its batches.
 */
final class BatchByFile<T> extends DoFn<List<T>, KV<KV<String, Integer>, List<T>>> {
  private static final long serialVersionUID = 1L;

  private final SerializableFunction<T, KV<String, Integer>> fileGroupOf;
  private final int maxBatch;
  private final long fileWindowMillis;
  private final @Nullable SerializableFunction<T, Instant> eventTime;

  private final BundleCounter rowsIn = BundleCounter.of(PipelineMetrics.LAKE_ROWS_IN);

  private transient Map<OpenBatch, List<T>> open;

  /** The batch records went to last: most follow the record before them. */
  private transient @Nullable OpenBatch last;

  private transient @Nullable List<T> lastRecords;

  BatchByFile(
      SerializableFunction<T, KV<String, Integer>> fileGroupOf,
      int maxBatch,
      long fileWindowMillis,
      @Nullable SerializableFunction<T, Instant> eventTime) {
    this.fileGroupOf = Objects.requireNonNull(fileGroupOf, "fileGroupOf");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
    if (fileWindowMillis < 1) {
      throw new IllegalArgumentException("the file window must be positive: " + fileWindowMillis);
    }
    this.maxBatch = maxBatch;
    this.fileWindowMillis = fileWindowMillis;
    this.eventTime = eventTime;
  }

  @StartBundle
  public void startBundle() {
    open = new HashMap<>();
    last = null;
    lastRecords = null;
  }

  @ProcessElement
  public void process(
      @Element List<T> records,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      OutputReceiver<KV<KV<String, Integer>, List<T>>> out) {
    rowsIn.add(records.size());
    for (T record : records) {
      long millis = eventTime == null ? timestamp.getMillis() : eventTime.apply(record).getMillis();
      long fileWindowEnd =
          Math.floorDiv(millis, fileWindowMillis) * fileWindowMillis + fileWindowMillis;
      KV<String, Integer> group = fileGroupOf.apply(record);
      List<T> batch;
      if (last != null && last.is(window, fileWindowEnd, group)) {
        batch = lastRecords;
      } else {
        last = new OpenBatch(window, fileWindowEnd, group);
        batch = open.computeIfAbsent(last, k -> new ArrayList<>());
        lastRecords = batch;
      }
      batch.add(record);
      if (batch.size() >= maxBatch) {
        open.remove(last);
        out.outputWithTimestamp(KV.of(group, batch), last.stamp());
        last = null;
        lastRecords = null;
      }
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (Map.Entry<OpenBatch, List<T>> e : open.entrySet()) {
      OpenBatch batch = e.getKey();
      context.output(KV.of(batch.group, e.getValue()), batch.stamp(), batch.window);
    }
    open.clear();
    last = null;
    lastRecords = null;
    rowsIn.flush();
  }

  /** Where a batch goes: the input's window, the file window (by its end) and the file group. */
  private static final class OpenBatch {
    final BoundedWindow window;
    final long fileWindowEnd;
    final KV<String, Integer> group;

    OpenBatch(BoundedWindow window, long fileWindowEnd, KV<String, Integer> group) {
      this.window = window;
      this.fileWindowEnd = fileWindowEnd;
      this.group = group;
    }

    boolean is(BoundedWindow window, long fileWindowEnd, KV<String, Integer> group) {
      return this.fileWindowEnd == fileWindowEnd
          && this.window.equals(window)
          && this.group.equals(group);
    }

    /** The file window's last instant. */
    Instant stamp() {
      return new Instant(fileWindowEnd - 1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OpenBatch && ((OpenBatch) o).is(window, fileWindowEnd, group);
    }

    @Override
    public int hashCode() {
      return Objects.hash(window, fileWindowEnd, group);
    }
  }
}
