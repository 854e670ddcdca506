package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.BarDecision;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.Position;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.pipeline.state.InOrderBuffer;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
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
import org.joda.time.Instant;

/**
 * Paper-trades the signals, long only, one position per symbol, strictly in bar order.
 *
 * <p>Input: {@link DetectSignals#DECISIONS} (bounded or unbounded, any windowing). A {@code BUY}
 * while flat opens {@code floor(notional / price)} shares at the signal's price and time (none when
 * that is 0); a {@code SELL} while long closes the position into a {@link Trade}; every other bar
 * while long, and the opening bar, emits a {@link Position} snapshot marked at the bar's close.
 * Fills are at the deciding bar's close: nothing looks ahead. State per symbol: the open position,
 * cleared on close.
 */
public final class TrackPositions
    extends PTransform<PCollection<KV<String, KV<Long, BarDecision>>>, PCollectionTuple> {
  /** Open-position snapshots: the {@code positions} dataset, under its own tag. */
  public static final TupleTag<Position> POSITIONS = Dataset.POSITIONS.tag();

  /** Closed trades: the {@code trades} dataset, under its own tag. */
  public static final TupleTag<Trade> TRADES = Dataset.TRADES.tag();

  /** Opens, marks and closes per symbol, numbered 0, 1, 2... in the order they happened. */
  public static final TupleTag<KV<String, KV<Long, PositionChange>>> CHANGES =
      new TupleTag<KV<String, KV<Long, PositionChange>>>() {};

  private final StrategyConfig strategy;

  private TrackPositions(StrategyConfig strategy) {
    this.strategy = strategy;
  }

  public static TrackPositions with(StrategyConfig strategy) {
    return new TrackPositions(strategy);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, KV<Long, BarDecision>>> decisions) {
    SchemaRegistry schemas = decisions.getPipeline().getSchemaRegistry();
    @SuppressWarnings("unchecked")
    KvCoder<Long, BarDecision> numbered =
        (KvCoder<Long, BarDecision>)
            ((KvCoder<String, KV<Long, BarDecision>>) decisions.getCoder()).getValueCoder();
    PCollectionTuple out =
        decisions.apply(
            "PaperTrade",
            ParDo.of(new PositionFn(strategy, numbered.getValueCoder(), openCoder(schemas)))
                .withOutputTags(POSITIONS, TupleTagList.of(TRADES).and(CHANGES)));
    try {
      out.get(POSITIONS).setCoder(schemas.getSchemaCoder(Position.class));
      out.get(TRADES).setCoder(schemas.getSchemaCoder(Trade.class));
      out.get(CHANGES)
          .setCoder(
              KvCoder.of(
                  org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                  KvCoder.of(VarLongCoder.of(), schemas.getSchemaCoder(PositionChange.class))));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static org.apache.beam.sdk.coders.Coder<OpenPosition> openCoder(SchemaRegistry schemas) {
    try {
      return schemas.getSchemaCoder(OpenPosition.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The trade closing {@code open} at the signal, with fees on both legs. */
  static Trade close(String symbol, OpenPosition open, Signal exit, StrategyConfig strategy) {
    double entryValue = open.getEntryPrice() * open.getQty();
    double exitValue = exit.getPrice() * open.getQty();
    double fees =
        (open.getEntryPrice() + exit.getPrice()) * open.getQty() * strategy.feeBps() / 10_000;
    double pnl = exitValue - entryValue - fees;
    return Trade.create(
        symbol + "-" + open.getEntryMillis(),
        symbol,
        strategy.name(),
        open.getQty(),
        new Instant(open.getEntryMillis()),
        open.getEntryPrice(),
        exit.getTs(),
        exit.getPrice(),
        pnl,
        pnl / entryValue * 100,
        (exit.getTs().getMillis() - open.getEntryMillis()) / 1000);
  }

  /** Per-symbol position keeping over decisions restored to bar order. */
  static final class PositionFn extends DoFn<KV<String, KV<Long, BarDecision>>, Position> {
    /** Decisions that arrived before their predecessor. */
    private static final String PENDING = "pending";

    /** Number of the next decision to process. */
    private static final String NEXT = "next";

    /** The open position; cleared when it closes. */
    private static final String OPEN = "open";

    /** Number of the next position change. */
    private static final String CHANGE_SEQ = "changeSeq";

    @StateId(CHANGE_SEQ)
    private final StateSpec<ValueState<Long>> changeSeqSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(PENDING)
    private final StateSpec<MapState<Long, BarDecision>> pendingSpec;

    @StateId(NEXT)
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(OPEN)
    private final StateSpec<ValueState<OpenPosition>> openSpec;

    private final StrategyConfig strategy;
    private final Counter opened = PipelineMetrics.counter(PipelineMetrics.POSITIONS_OPENED);
    private final Counter snapshots = PipelineMetrics.counter(PipelineMetrics.POSITION_SNAPSHOTS);
    private final Counter trades = PipelineMetrics.counter(PipelineMetrics.TRADES);

    PositionFn(
        StrategyConfig strategy,
        org.apache.beam.sdk.coders.Coder<BarDecision> decisionCoder,
        org.apache.beam.sdk.coders.Coder<OpenPosition> openCoder) {
      this.strategy = strategy;
      this.openSpec = StateSpecs.value(openCoder);
      this.pendingSpec = StateSpecs.map(VarLongCoder.of(), decisionCoder);
    }

    @ProcessElement
    public void process(
        @Element KV<String, KV<Long, BarDecision>> element,
        @StateId(PENDING) MapState<Long, BarDecision> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(OPEN) ValueState<OpenPosition> openState,
        @StateId(CHANGE_SEQ) ValueState<Long> changeSeqState,
        MultiOutputReceiver out) {
      List<BarDecision> ready =
          InOrderBuffer.offer(
              element.getValue().getKey(), element.getValue().getValue(), pending, next);
      if (ready.isEmpty()) {
        return;
      }
      String symbol = element.getKey();
      OpenPosition open = openState.read();
      OpenPosition before = open;
      Long changeSeqValue = changeSeqState.read();
      long changeSeq = changeSeqValue == null ? 0 : changeSeqValue;
      for (BarDecision d : ready) {
        Signal s = d.getSignal();
        if (open == null && s != null && Signal.BUY.equals(s.getSide())) {
          long qty = (long) Math.floor(strategy.notional() / s.getPrice());
          if (qty > 0) {
            open = OpenPosition.create(qty, s.getTs().getMillis(), s.getPrice());
            opened.inc();
          }
        } else if (open != null && s != null && Signal.SELL.equals(s.getSide())) {
          trades.inc();
          Trade trade = close(symbol, open, s, strategy);
          PipelineMetrics.pnlCents(symbol).update(Math.round(trade.getPnl() * 100));
          out.get(TRADES).output(trade);
          out.get(CHANGES)
              .output(
                  KV.of(
                      symbol,
                      KV.of(changeSeq++, PositionChange.create(symbol, strategy.name(), null))));
          open = null;
          continue;
        }
        if (open != null) {
          snapshots.inc();
          Position p = snapshot(symbol, open, d.getBar());
          out.get(POSITIONS).output(p);
          out.get(CHANGES)
              .output(
                  KV.of(
                      symbol,
                      KV.of(changeSeq++, PositionChange.create(symbol, strategy.name(), p))));
        }
      }
      if (changeSeqValue == null || changeSeq != changeSeqValue) {
        changeSeqState.write(changeSeq);
      }
      if (open == null) {
        if (before != null) {
          openState.clear();
        }
      } else if (open != before) {
        openState.write(open);
      }
    }

    private Position snapshot(String symbol, OpenPosition open, Bar bar) {
      return Position.create(
          symbol,
          strategy.name(),
          open.getQty(),
          new Instant(open.getEntryMillis()),
          open.getEntryPrice(),
          bar.getClose(),
          (bar.getClose() - open.getEntryPrice()) * open.getQty(),
          bar.getWindowEnd());
    }
  }
}
