package io.tickstream.pipeline.transforms;

import io.tickstream.tick.Tick;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Gathers a bundle's ticks (stamped with their event time, as {@link ParseTicks} emits them) per
 * symbol and window, in arrival order, into batches keyed by symbol, each stamped with its earliest
 * tick's event time, so that the keyed step after it reads and writes a symbol's state once a batch
 * rather than once a tick (on Flink every state access re-derives the state's namespace and
 * descriptor). Batches go out when the bundle finishes: runners hold the watermark back until a
 * bundle's outputs are out, so no tick is made late. For unbounded input only, where bundles are
 * small (Flink's: at most 1,000 elements or {@code --maxBundleTimeMills}); a bounded input's bundle
 * can be all of it.
 */
final class BatchBySymbol extends DoFn<Tick, KV<String, List<Tick>>> {
  private static final long serialVersionUID = 1L;

  private transient Map<BoundedWindow, Map<String, TickBatch>> open;

  @StartBundle
  public void startBundle() {
    open = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element Tick tick, BoundedWindow window) {
    open.computeIfAbsent(window, w -> new LinkedHashMap<>())
        .computeIfAbsent(tick.getSymbol(), s -> new TickBatch())
        .add(tick);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (Map.Entry<BoundedWindow, Map<String, TickBatch>> w : open.entrySet()) {
      for (Map.Entry<String, TickBatch> s : w.getValue().entrySet()) {
        TickBatch batch = s.getValue();
        context.output(KV.of(s.getKey(), batch.ticks), new Instant(batch.earliest), w.getKey());
      }
    }
    open = null;
  }
}
