package io.tickstream.pipeline.datalake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Gathers a bundle's records into one batch per file window and file group, so that the write's
 * shuffle and per-window state handle a batch where they would handle every record.
 *
 * <p>Output: (file group, records) in the records' window, stamped with the window's last instant.
 * Any timestamp in the window would do: the write's grouping decides lateness, panes and expiry per
 * window, and holds its output at the end of the window. A batch is emitted when it reaches {@code
 * maxBatch} records or when the bundle ends; nothing is held across bundles, so records are never
 * delayed beyond their bundle, and a retried bundle re-forms its batches.
 */
final class BatchByFile<T> extends DoFn<T, KV<KV<String, Integer>, List<T>>> {
  private static final long serialVersionUID = 1L;

  private final SerializableFunction<T, KV<String, Integer>> fileGroupOf;
  private final int maxBatch;

  private transient Map<KV<BoundedWindow, KV<String, Integer>>, List<T>> open;

  BatchByFile(SerializableFunction<T, KV<String, Integer>> fileGroupOf, int maxBatch) {
    this.fileGroupOf = Objects.requireNonNull(fileGroupOf, "fileGroupOf");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
    this.maxBatch = maxBatch;
  }

  @StartBundle
  public void startBundle() {
    open = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element T record,
      BoundedWindow window,
      OutputReceiver<KV<KV<String, Integer>, List<T>>> out) {
    KV<String, Integer> group = fileGroupOf.apply(record);
    KV<BoundedWindow, KV<String, Integer>> key = KV.of(window, group);
    List<T> batch = open.computeIfAbsent(key, k -> new ArrayList<>());
    batch.add(record);
    if (batch.size() >= maxBatch) {
      open.remove(key);
      out.outputWithTimestamp(KV.of(group, batch), window.maxTimestamp());
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (Map.Entry<KV<BoundedWindow, KV<String, Integer>>, List<T>> e : open.entrySet()) {
      BoundedWindow window = e.getKey().getKey();
      context.output(KV.of(e.getKey().getValue(), e.getValue()), window.maxTimestamp(), window);
    }
    open.clear();
  }
}
