package io.tickstream.pipeline.transforms;

import io.tickstream.tick.Tick;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops resends of a tick: the second and later ticks with the same {@code event_id} within the
 * dedup window of event time.
 *
 * <p>Bounded or unbounded input of ticks stamped with their event time; output keeps timestamps.
 * Sources are at-least-once, so this is what makes the lake exactly-once per event id. The number
 * dropped is {@code ticks_valid - ticks_unique}.
 *
 * <p>Why not Beam's {@link org.apache.beam.sdk.transforms.Deduplicate}: it keys state by the event
 * id, which shuffles a symbol's ticks across workers and loses their arrival order before {@link
 * ComputeBars}, whose per-symbol clock relies on it (on Flink, ticks of one symbol then arrive
 * minutes of event time apart through different channels and look late). Keyed by symbol, every
 * keyed step from the source to the bars keeps one channel per symbol. The seen ids of a symbol
 * expire by an event-time timer once they are a dedup window old (swept at most four times a
 * window), so state stays bounded by 1.25 windows of ids per symbol.
 */
public final class DeduplicateTicks extends PTransform<PCollection<Tick>, PCollection<Tick>> {
  private final Duration window;

  private DeduplicateTicks(Duration window) {
    this.window = window;
  }

  public static DeduplicateTicks within(Duration window) {
    return new DeduplicateTicks(window);
  }

  @Override
  public PCollection<Tick> expand(PCollection<Tick> ticks) {
    return ticks
        .apply(
            "KeyBySymbol", WithKeys.of((Tick t) -> t.symbol).withKeyType(TypeDescriptors.strings()))
        .apply("FirstByEventId", ParDo.of(new DedupFn(window.getMillis())))
        .setCoder(ticks.getCoder());
  }

  /** Per-symbol set of recently seen event ids. */
  static final class DedupFn extends DoFn<KV<String, Tick>, Tick> {
    /** Event id to event time of the first tick with it. */
    private static final String SEEN = "seen";

    /** When the expiry timer is set for, or null when none is. */
    private static final String EXPIRY_AT = "expiryAt";

    /** Removes ids older than the window. */
    private static final String EXPIRE = "expire";

    @StateId(SEEN)
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    @StateId(EXPIRY_AT)
    private final StateSpec<ValueState<Long>> expiryAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId(EXPIRE)
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final long windowMillis;
    private final Counter unique = PipelineMetrics.counter(PipelineMetrics.TICKS_UNIQUE);

    DedupFn(long windowMillis) {
      this.windowMillis = windowMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Tick> element,
        @StateId(SEEN) MapState<String, Long> seen,
        @StateId(EXPIRY_AT) ValueState<Long> expiryAt,
        @TimerId(EXPIRE) Timer expire,
        OutputReceiver<Tick> out) {
      Tick tick = element.getValue();
      if (seen.get(tick.eventId).read() != null) {
        return;
      }
      seen.put(tick.eventId, tick.timestampMillis());
      if (expiryAt.read() == null) {
        long at = tick.timestampMillis() + windowMillis;
        expire.set(new Instant(at));
        expiryAt.write(at);
      }
      unique.inc();
      out.output(tick);
    }

    @OnTimer(EXPIRE)
    public void onExpire(
        OnTimerContext context,
        @StateId(SEEN) MapState<String, Long> seen,
        @StateId(EXPIRY_AT) ValueState<Long> expiryAt,
        @TimerId(EXPIRE) Timer expire) {
      long now = context.fireTimestamp().getMillis();
      Long oldestKept = null;
      for (java.util.Map.Entry<String, Long> e : seen.entries().read()) {
        if (e.getValue() + windowMillis <= now) {
          seen.remove(e.getKey());
        } else if (oldestKept == null || e.getValue() < oldestKept) {
          oldestKept = e.getValue();
        }
      }
      if (oldestKept == null) {
        expiryAt.clear();
      } else {
        // Sweep at most four times a window: each sweep reads every id the symbol holds.
        long at = Math.max(oldestKept + windowMillis, now + windowMillis / 4);
        expire.set(new Instant(at));
        expiryAt.write(at);
      }
    }
  }
}
