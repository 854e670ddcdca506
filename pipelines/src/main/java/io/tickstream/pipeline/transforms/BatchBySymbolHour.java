package io.tickstream.pipeline.transforms;

import io.tickstream.tick.Tick;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Gathers bounded input's ticks per symbol, event-time hour and window into batches of at most
 * {@value #MAX_BATCH}, each stamped with its earliest tick's time, so that the grouping after it
 * moves a batch as one element instead of every tick alone. A batch goes out when full, all of them
 * once {@value #MAX_OPEN} ticks are held, the rest when the bundle finishes: memory is bounded, not
 * by the bundle, which on a bounded input can be all of it. For bounded input only: a batch may be
 * stamped before the tick that completes it, which no watermark may see.
 */
final class BatchBySymbolHour extends DoFn<Tick, KV<KV<String, Long>, List<Tick>>> {
  private static final long serialVersionUID = 1L;

  static final int MAX_BATCH = 1_000;
  static final long HOUR_MILLIS = 3_600_000L;

  /** Ticks held in unfinished batches at most; past it, every batch goes out. */
  static final int MAX_OPEN = 50_000;

  private transient Map<BoundedWindow, Map<KV<String, Long>, TickBatch>> open;
  private transient int held;

  @StartBundle
  public void startBundle() {
    open = new HashMap<>();
    held = 0;
  }

  @ProcessElement
  public void process(
      @Element Tick tick,
      BoundedWindow window,
      OutputReceiver<KV<KV<String, Long>, List<Tick>>> out) {
    KV<String, Long> key =
        KV.of(tick.getSymbol(), Math.floorDiv(tick.timestampMillis(), HOUR_MILLIS));
    Map<KV<String, Long>, TickBatch> batches = open.computeIfAbsent(window, w -> new HashMap<>());
    TickBatch batch = batches.computeIfAbsent(key, k -> new TickBatch());
    batch.add(tick);
    held++;
    if (batch.ticks.size() >= MAX_BATCH) {
      batches.remove(key);
      held -= batch.ticks.size();
      out.outputWithTimestamp(KV.of(key, batch.ticks), new Instant(batch.earliest));
    }
    if (held >= MAX_OPEN) {
      // Hours that get no more ticks (or few) would otherwise wait for the bundle's end. Only
      // this window's go, in their window; bounded input has one.
      for (Map.Entry<KV<String, Long>, TickBatch> b : batches.entrySet()) {
        held -= b.getValue().ticks.size();
        out.outputWithTimestamp(
            KV.of(b.getKey(), b.getValue().ticks), new Instant(b.getValue().earliest));
      }
      batches.clear();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (Map.Entry<BoundedWindow, Map<KV<String, Long>, TickBatch>> w : open.entrySet()) {
      for (Map.Entry<KV<String, Long>, TickBatch> b : w.getValue().entrySet()) {
        TickBatch batch = b.getValue();
        context.output(KV.of(b.getKey(), batch.ticks), new Instant(batch.earliest), w.getKey());
      }
    }
    open = null;
  }

  /** A batch is stamped with its earliest tick, before the tick at hand (hours before, flushed). */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
