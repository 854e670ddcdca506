package io.tickstream.pipeline.transforms;

import io.tickstream.generator.Durations;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.BarDecision;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.state.InOrderBuffer;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.Sequenced.SequencedCoder;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.pipeline.state.StateTtl.Expiry.ExpiryCoder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Detects moving-average crossovers on each symbol's finalized bars, strictly in bar order.
 *
 * <p>Input: the numbered bars of {@link ComputeBars} (bounded or unbounded, any windowing). On each
 * bar its close is appended; {@code fast}/{@code slow} are the means of the last N closes. When
 * both are defined for this bar and the previous one, {@code BUY} if fast_prev <= slow_prev and
 * fast > slow, {@code SELL} if fast_prev >= slow_prev and fast < slow. Outputs every bar with its
 * signal (for {@link TrackPositions}), numbered as the input, and the signals alone. State per
 * symbol: the last {@code slow} closes and the previous means, and bars that arrived early. A bar
 * that starts a new generation starts the symbol afresh; a symbol silent for the state TTL leaves
 * no state behind. Nothing is dropped.
 */
public final class DetectSignals
    extends PTransform<PCollection<KV<String, Sequenced<Bar>>>, PCollectionTuple> {
  /** Every bar with its signal or null, numbered as the input. */
  public static final TupleTag<KV<String, Sequenced<BarDecision>>> DECISIONS =
      new TupleTag<KV<String, Sequenced<BarDecision>>>() {};

  /** The signals alone: the {@code signals} dataset, under its own tag. */
  public static final TupleTag<Signal> SIGNALS = Dataset.SIGNALS.tag();

  private final StrategyConfig strategy;
  private final Duration stateTtl;

  private DetectSignals(StrategyConfig strategy, Duration stateTtl) {
    this.strategy = strategy;
    this.stateTtl = stateTtl;
  }

  public static DetectSignals with(StrategyConfig strategy) {
    return new DetectSignals(strategy, Durations.parse(ProcessTicks.DEFAULT_STATE_TTL));
  }

  /** Forgets a symbol silent for {@code stateTtl} of event time. */
  public DetectSignals withStateTtl(Duration stateTtl) {
    return new DetectSignals(strategy, stateTtl);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, Sequenced<Bar>>> bars) {
    SchemaRegistry schemas = bars.getPipeline().getSchemaRegistry();
    PCollectionTuple out =
        bars.apply(
            "Crossovers",
            ParDo.of(new SignalFn(strategy, StateTtl.of(stateTtl), barCoder(bars.getCoder())))
                .withOutputTags(DECISIONS, TupleTagList.of(SIGNALS)));
    try {
      out.get(DECISIONS)
          .setCoder(
              KvCoder.of(
                  StringUtf8Coder.of(),
                  SequencedCoder.of(schemas.getSchemaCoder(BarDecision.class))));
      out.get(SIGNALS).setCoder(schemas.getSchemaCoder(Signal.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Coder<Sequenced<Bar>> barCoder(Coder<KV<String, Sequenced<Bar>>> input) {
    return ((KvCoder<String, Sequenced<Bar>>) input).getValueCoder();
  }

  /** Per-symbol crossover detection over bars restored to order. */
  static final class SignalFn
      extends DoFn<KV<String, Sequenced<Bar>>, KV<String, Sequenced<BarDecision>>> {
    /** Bars that arrived before their predecessor. */
    private static final String PENDING = "pending";

    /** Number of the next bar to process. */
    private static final String NEXT = "next";

    /** The last {@code slow} closes, oldest first. */
    private static final String CLOSES = "closes";

    /** fast and slow means of the previous bar, when defined. */
    private static final String PREVIOUS = "previous";

    /** When the symbol's last bar came, and when its expiry timer is set for. */
    private static final String EXPIRY = "expiry";

    /** Fires a state TTL after the symbol's last bar: then its state is cleared. */
    private static final String EXPIRE = "expire";

    @StateId(PENDING)
    private final StateSpec<MapState<Long, Sequenced<Bar>>> pendingSpec;

    @StateId(NEXT)
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(CLOSES)
    private final StateSpec<ValueState<List<Double>>> closesSpec =
        StateSpecs.value(ListCoder.of(DoubleCoder.of()));

    @StateId(PREVIOUS)
    private final StateSpec<ValueState<List<Double>>> previousSpec =
        StateSpecs.value(NullableCoder.of(ListCoder.of(DoubleCoder.of())));

    @StateId(EXPIRY)
    private final StateSpec<ValueState<StateTtl.Expiry>> expirySpec =
        StateSpecs.value(ExpiryCoder.of());

    @TimerId(EXPIRE)
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final StrategyConfig strategy;
    private final StateTtl ttl;
    private final Counter signals = PipelineMetrics.counter(PipelineMetrics.SIGNALS);

    SignalFn(StrategyConfig strategy, StateTtl ttl, Coder<Sequenced<Bar>> barCoder) {
      this.strategy = strategy;
      this.ttl = ttl;
      this.pendingSpec = StateSpecs.map(VarLongCoder.of(), barCoder);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Sequenced<Bar>> element,
        @Timestamp Instant timestamp,
        @StateId(PENDING) MapState<Long, Sequenced<Bar>> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(CLOSES) ValueState<List<Double>> closesState,
        @StateId(PREVIOUS) ValueState<List<Double>> previousState,
        @StateId(EXPIRY) ValueState<StateTtl.Expiry> expiryState,
        @TimerId(EXPIRE) Timer expire,
        MultiOutputReceiver out) {
      StateTtl.Expiry expiry = expiryState.read();
      if (expiry == null) {
        expiry = new StateTtl.Expiry();
      }
      if (ttl.touch(expiry, timestamp.getMillis(), expire)) {
        expiryState.write(expiry);
      }
      List<Sequenced<Bar>> ready = InOrderBuffer.offer(element.getValue(), pending, next);
      if (ready.isEmpty()) {
        return;
      }
      // A new generation: the symbol was silent for the state TTL, its history is gone.
      boolean fresh = ready.get(0).startsGeneration();
      List<Double> stored = fresh ? null : closesState.read();
      ArrayDeque<Double> closes = new ArrayDeque<>(stored == null ? List.of() : stored);
      List<Double> previous = fresh ? null : previousState.read();
      for (Sequenced<Bar> numbered : ready) {
        Bar bar = numbered.value();
        closes.addLast(bar.getClose());
        if (closes.size() > strategy.slow()) {
          closes.removeFirst();
        }
        List<Double> current = null;
        Signal signal = null;
        if (closes.size() >= strategy.slow()) {
          double fast = meanOfLast(closes, strategy.fast());
          double slow = meanOfLast(closes, strategy.slow());
          current = List.of(fast, slow);
          signal = crossover(bar, previous, fast, slow);
        }
        if (signal != null) {
          signals.inc();
          out.get(SIGNALS).output(signal);
        }
        out.get(DECISIONS)
            .output(KV.of(element.getKey(), numbered.with(BarDecision.create(bar, signal))));
        previous = current;
      }
      closesState.write(new ArrayList<>(closes));
      previousState.write(previous);
    }

    /** Clears every state cell of a symbol silent for the state TTL. */
    @OnTimer(EXPIRE)
    public void onExpire(
        OnTimerContext context,
        @StateId(PENDING) MapState<Long, Sequenced<Bar>> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(CLOSES) ValueState<List<Double>> closes,
        @StateId(PREVIOUS) ValueState<List<Double>> previous,
        @StateId(EXPIRY) ValueState<StateTtl.Expiry> expiryState,
        @TimerId(EXPIRE) Timer expire) {
      if (!ttl.expired(expiryState, context.fireTimestamp().getMillis(), expire)) {
        return;
      }
      pending.clear();
      next.clear();
      closes.clear();
      previous.clear();
      expiryState.clear();
    }

    private @Nullable Signal crossover(
        Bar bar, @Nullable List<Double> previous, double fast, double slow) {
      if (previous == null) {
        return null;
      }
      double fastPrev = previous.get(0);
      double slowPrev = previous.get(1);
      String side = null;
      if (fastPrev <= slowPrev && fast > slow) {
        side = Signal.BUY;
      } else if (fastPrev >= slowPrev && fast < slow) {
        side = Signal.SELL;
      }
      return side == null
          ? null
          : Signal.create(
              bar.getSymbol(),
              bar.getWindowEnd(),
              side,
              bar.getClose(),
              fast,
              slow,
              strategy.name());
    }

    /** Mean of the last n values, summed oldest first so the result does not depend on history. */
    static double meanOfLast(ArrayDeque<Double> values, int n) {
      int skip = values.size() - n;
      double sum = 0;
      int i = 0;
      for (double v : values) {
        if (i++ >= skip) {
          sum += v;
        }
      }
      return sum / n;
    }
  }
}
