package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.BarDecision;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.state.InOrderBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
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
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Detects moving-average crossovers on each symbol's finalized bars, strictly in bar order.
 *
 * <p>Input: the numbered bars of {@link ComputeBars} (bounded or unbounded, any windowing). On each
 * bar its close is appended; {@code fast}/{@code slow} are the means of the last N closes. When
 * both are defined for this bar and the previous one, {@code BUY} if fast_prev <= slow_prev and
 * fast > slow, {@code SELL} if fast_prev >= slow_prev and fast < slow. Outputs every bar with its
 * signal (for {@link TrackPositions}) and the signals alone. State per symbol: the last {@code
 * slow} closes and the previous means; nothing is dropped.
 */
public final class DetectSignals
    extends PTransform<PCollection<KV<String, KV<Long, Bar>>>, PCollectionTuple> {
  /** Every bar with its signal or null, numbered as the input. */
  public static final TupleTag<KV<String, KV<Long, BarDecision>>> DECISIONS =
      new TupleTag<KV<String, KV<Long, BarDecision>>>() {};

  /** The signals alone: the {@code signals} dataset, under its own tag. */
  public static final TupleTag<Signal> SIGNALS = Dataset.SIGNALS.tag();

  private final StrategyConfig strategy;

  private DetectSignals(StrategyConfig strategy) {
    this.strategy = strategy;
  }

  public static DetectSignals with(StrategyConfig strategy) {
    return new DetectSignals(strategy);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, KV<Long, Bar>>> bars) {
    SchemaRegistry schemas = bars.getPipeline().getSchemaRegistry();
    PCollectionTuple out =
        bars.apply(
            "Crossovers",
            ParDo.of(new SignalFn(strategy, bars.getCoder()))
                .withOutputTags(DECISIONS, TupleTagList.of(SIGNALS)));
    try {
      out.get(DECISIONS)
          .setCoder(
              KvCoder.of(
                  StringUtf8Coder.of(),
                  KvCoder.of(VarLongCoder.of(), schemas.getSchemaCoder(BarDecision.class))));
      out.get(SIGNALS).setCoder(schemas.getSchemaCoder(Signal.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Per-symbol crossover detection over bars restored to order. */
  static final class SignalFn
      extends DoFn<KV<String, KV<Long, Bar>>, KV<String, KV<Long, BarDecision>>> {
    /** Bars that arrived before their predecessor. */
    private static final String PENDING = "pending";

    /** Number of the next bar to process. */
    private static final String NEXT = "next";

    /** The last {@code slow} closes, oldest first. */
    private static final String CLOSES = "closes";

    /** fast and slow means of the previous bar, when defined. */
    private static final String PREVIOUS = "previous";

    @StateId(PENDING)
    private final StateSpec<MapState<Long, Bar>> pendingSpec;

    @StateId(NEXT)
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(CLOSES)
    private final StateSpec<ValueState<List<Double>>> closesSpec =
        StateSpecs.value(ListCoder.of(DoubleCoder.of()));

    @StateId(PREVIOUS)
    private final StateSpec<ValueState<List<Double>>> previousSpec =
        StateSpecs.value(NullableCoder.of(ListCoder.of(DoubleCoder.of())));

    private final StrategyConfig strategy;
    private final Counter signals = PipelineMetrics.counter(PipelineMetrics.SIGNALS);

    @SuppressWarnings("unchecked")
    SignalFn(
        StrategyConfig strategy,
        org.apache.beam.sdk.coders.Coder<KV<String, KV<Long, Bar>>> inputCoder) {
      this.strategy = strategy;
      KvCoder<Long, Bar> numbered =
          (KvCoder<Long, Bar>) ((KvCoder<String, KV<Long, Bar>>) inputCoder).getValueCoder();
      this.pendingSpec = StateSpecs.map(VarLongCoder.of(), numbered.getValueCoder());
    }

    @ProcessElement
    public void process(
        @Element KV<String, KV<Long, Bar>> element,
        @StateId(PENDING) MapState<Long, Bar> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(CLOSES) ValueState<List<Double>> closesState,
        @StateId(PREVIOUS) ValueState<List<Double>> previousState,
        MultiOutputReceiver out) {
      List<Bar> ready =
          InOrderBuffer.offer(
              element.getValue().getKey(), element.getValue().getValue(), pending, next);
      if (ready.isEmpty()) {
        return;
      }
      long seq = next.read() - ready.size();
      List<Double> stored = closesState.read();
      ArrayDeque<Double> closes = new ArrayDeque<>(stored == null ? List.of() : stored);
      List<Double> previous = previousState.read();
      for (Bar bar : ready) {
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
            .output(KV.of(element.getKey(), KV.of(seq++, BarDecision.create(bar, signal))));
        previous = current;
      }
      closesState.write(new ArrayList<>(closes));
      previousState.write(previous);
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
