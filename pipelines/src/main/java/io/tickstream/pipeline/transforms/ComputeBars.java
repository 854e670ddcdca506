package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.tick.Tick;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Aggregates each symbol's ticks into one-minute event-time bars, and separates late ticks.
 *
 * <p>Bounded or unbounded input of ticks timestamped with their event time, in any windowing (the
 * transform keeps its own per-symbol clock). A symbol's clock is the later of (its latest tick's
 * event time − max out-of-orderness) and the pipeline's watermark, seen through an event-time timer
 * at the end of the earliest open minute. A minute is finalized, and its bar emitted, once the
 * clock passes its end; a tick behind the clock is late: it goes to {@link #LATE} (counted as
 * {@code late_ticks}) and into no bar. Because the data itself advances the clock, the same input
 * gives the same bars on every runner; the timer only finalizes minutes of symbols that went quiet,
 * and at the end of bounded input.
 *
 * <p>Bars come out per symbol in window order, numbered 0, 1, 2... so that the next stateful steps
 * can restore that order whatever the runner does between them ({@link InOrderBuffer}). State per
 * symbol is the open minutes (at most out-of-orderness / 1 min + 1 of them) and two numbers.
 */
public final class ComputeBars extends PTransform<PCollection<Tick>, PCollectionTuple> {
  /** Finalized bars, keyed by symbol, with their per-symbol sequence number. */
  public static final TupleTag<KV<String, KV<Long, Bar>>> BARS =
      new TupleTag<KV<String, KV<Long, Bar>>>() {};

  /** Ticks that arrived after their minute was finalized. */
  public static final TupleTag<Tick> LATE = new TupleTag<Tick>() {};

  private final long barMillis;
  private final long maxOutOfOrdernessMillis;

  private ComputeBars(long barMillis, long maxOutOfOrdernessMillis) {
    this.barMillis = barMillis;
    this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
  }

  /** One-minute bars with the given bound on out-of-orderness. */
  public static ComputeBars oneMinute(org.joda.time.Duration maxOutOfOrderness) {
    return new ComputeBars(60_000, maxOutOfOrderness.getMillis());
  }

  /**
   * One-minute bars of bounded input (files, backfills), where runners deliver a key's elements in
   * no particular order: no tick is late, and every minute is finalized when the input ends (the
   * watermark passes it), so arrival order cannot change a bar.
   */
  public static ComputeBars oneMinuteOfBoundedInput() {
    return new ComputeBars(60_000, UNBOUNDED_OUT_OF_ORDERNESS);
  }

  /** An out-of-orderness no clock ever passes: the data never finalizes a minute by itself. */
  private static final long UNBOUNDED_OUT_OF_ORDERNESS = Long.MAX_VALUE / 4;

  @Override
  public PCollectionTuple expand(PCollection<Tick> ticks) {
    PCollectionTuple out =
        ticks
            .apply(
                "KeyBySymbol",
                WithKeys.of((Tick t) -> t.symbol).withKeyType(TypeDescriptors.strings()))
            .apply(
                "Aggregate",
                ParDo.of(new BarFn(barMillis, maxOutOfOrdernessMillis, accumulatorCoder(ticks)))
                    .withOutputTags(BARS, TupleTagList.of(LATE)));
    try {
      out.get(BARS)
          .setCoder(
              KvCoder.of(
                  StringUtf8Coder.of(),
                  KvCoder.of(
                      VarLongCoder.of(),
                      ticks.getPipeline().getSchemaRegistry().getSchemaCoder(Bar.class))));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    out.get(LATE).setCoder(ticks.getCoder());
    return out;
  }

  private static org.apache.beam.sdk.coders.Coder<BarAccumulator> accumulatorCoder(
      PCollection<Tick> ticks) {
    try {
      return ticks.getPipeline().getSchemaRegistry().getSchemaCoder(BarAccumulator.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Per-symbol minute aggregation with a data-driven clock. */
  static final class BarFn extends DoFn<KV<String, Tick>, KV<String, KV<Long, Bar>>> {
    /** Open minutes by start millis. */
    private static final String OPEN = "open";

    /** The symbol's clock: ticks before it are late. */
    private static final String CLOCK = "clock";

    /** Sequence number of the next bar. */
    private static final String NEXT_SEQ = "nextSeq";

    /** Fires when the watermark passes the end of the earliest open minute. */
    private static final String FLUSH = "flush";

    @StateId(OPEN)
    private final StateSpec<MapState<Long, BarAccumulator>> openSpec;

    @StateId(CLOCK)
    private final StateSpec<ValueState<Long>> clockSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(NEXT_SEQ)
    private final StateSpec<ValueState<Long>> seqSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId(FLUSH)
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final long barMillis;
    private final long maxOutOfOrdernessMillis;
    private final Counter late = PipelineMetrics.counter(PipelineMetrics.LATE_TICKS);
    private final Counter bars = PipelineMetrics.counter(PipelineMetrics.BARS);
    private final Distribution delay = PipelineMetrics.distribution(PipelineMetrics.BAR_DELAY_MS);

    BarFn(
        long barMillis,
        long maxOutOfOrdernessMillis,
        org.apache.beam.sdk.coders.Coder<BarAccumulator> accumulatorCoder) {
      this.openSpec = StateSpecs.map(VarLongCoder.of(), accumulatorCoder);
      this.barMillis = barMillis;
      this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Tick> element,
        @StateId(OPEN) MapState<Long, BarAccumulator> open,
        @StateId(CLOCK) ValueState<Long> clockState,
        @StateId(NEXT_SEQ) ValueState<Long> seqState,
        @TimerId(FLUSH) Timer flush,
        MultiOutputReceiver out) {
      Tick tick = element.getValue();
      long ts = tick.timestampMillis();
      Long clockValue = clockState.read();
      long clock = clockValue == null ? Long.MIN_VALUE : clockValue;
      long start = Math.floorDiv(ts, barMillis) * barMillis;
      if (ts < clock) {
        late.inc();
        out.get(LATE).output(tick);
        return;
      }
      BarAccumulator acc = open.get(start).read();
      open.put(start, acc == null ? BarAccumulator.of(start, tick) : acc.add(tick));
      long advanced =
          maxOutOfOrdernessMillis == UNBOUNDED_OUT_OF_ORDERNESS
              ? clock
              : Math.max(clock, ts - maxOutOfOrdernessMillis);
      if (advanced != clock) {
        clockState.write(advanced);
      }
      finalizeUpTo(element.getKey(), advanced, open, seqState, flush, out);
    }

    @OnTimer(FLUSH)
    public void onFlush(
        OnTimerContext context,
        @Key String symbol,
        @StateId(OPEN) MapState<Long, BarAccumulator> open,
        @StateId(CLOCK) ValueState<Long> clockState,
        @StateId(NEXT_SEQ) ValueState<Long> seqState,
        @TimerId(FLUSH) Timer flush,
        MultiOutputReceiver out) {
      long fired = context.fireTimestamp().getMillis();
      Long clockValue = clockState.read();
      long clock = Math.max(clockValue == null ? Long.MIN_VALUE : clockValue, fired);
      clockState.write(clock);
      finalizeUpTo(symbol, clock, open, seqState, flush, out);
    }

    /**
     * Emits, in order, every open minute that ends at or before {@code clock}; re-arms the timer.
     */
    private void finalizeUpTo(
        String symbol,
        long clock,
        MapState<Long, BarAccumulator> open,
        ValueState<Long> seqState,
        Timer flush,
        MultiOutputReceiver out) {
      List<Long> starts = new ArrayList<>();
      for (Long s : open.keys().read()) {
        starts.add(s);
      }
      Collections.sort(starts);
      Long seqValue = null;
      long seq = 0;
      boolean emitted = false;
      Long earliestOpen = null;
      for (Long s : starts) {
        if (s + barMillis > clock) {
          earliestOpen = s;
          break;
        }
        if (!emitted) {
          seqValue = seqState.read();
          seq = seqValue == null ? 0 : seqValue;
          emitted = true;
        }
        Bar bar = open.get(s).read().toBar(symbol, barMillis);
        open.remove(s);
        bars.inc();
        delay.update(System.currentTimeMillis() - bar.windowEnd.getMillis());
        out.get(BARS).output(KV.of(symbol, KV.of(seq++, bar)));
      }
      if (emitted) {
        seqState.write(seq);
      }
      if (earliestOpen != null) {
        flush.set(new Instant(earliestOpen + barMillis));
      }
    }
  }
}
