package io.tickstream.pipeline.transforms;

import io.tickstream.generator.Durations;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.BarDecision;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.Position;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.pipeline.state.InOrderBuffer;
import io.tickstream.pipeline.state.Numbering;
import io.tickstream.pipeline.state.Numbering.NumberingCoder;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.Sequenced.SequencedCoder;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.pipeline.state.StateTtl.Expiry.ExpiryCoder;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
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
 * Paper-trades the signals, long only, one position per symbol, strictly in bar order.
 *
 * <p>Input: {@link DetectSignals#DECISIONS} (bounded or unbounded, any windowing). A {@code BUY}
 * while flat opens {@code floor(notional / price)} shares at the signal's price and time (none when
 * that is 0); a {@code SELL} while long closes the position into a {@link Trade}; every other bar
 * while long, and the opening bar, emits a {@link Position} snapshot marked at the bar's close.
 * Fills are at the deciding bar's close: nothing looks ahead. State per symbol: the open position,
 * cleared on close, and decisions that arrived early. A decision that starts a new generation (the
 * symbol was silent for the state TTL) starts the symbol afresh: an open position is forgotten, its
 * last snapshot standing in the positions dataset (and the positions table) as its last mark; a
 * symbol silent for the state TTL leaves no state behind.
 */
public final class TrackPositions
    extends PTransform<PCollection<KV<String, Sequenced<BarDecision>>>, PCollectionTuple> {
  /** Open-position snapshots: the {@code positions} dataset, under its own tag. */
  public static final TupleTag<Position> POSITIONS = Dataset.POSITIONS.tag();

  /** Closed trades: the {@code trades} dataset, under its own tag. */
  public static final TupleTag<Trade> TRADES = Dataset.TRADES.tag();

  /** Opens, marks and closes per symbol, numbered in the order they happened. */
  public static final TupleTag<KV<String, Sequenced<PositionChange>>> CHANGES =
      new TupleTag<KV<String, Sequenced<PositionChange>>>() {};

  private final StrategyConfig strategy;
  private final Duration stateTtl;

  private TrackPositions(StrategyConfig strategy, Duration stateTtl) {
    this.strategy = strategy;
    this.stateTtl = stateTtl;
  }

  public static TrackPositions with(StrategyConfig strategy) {
    return new TrackPositions(strategy, Durations.parse(ProcessTicks.DEFAULT_STATE_TTL));
  }

  /** Forgets a symbol silent for {@code stateTtl} of event time. */
  public TrackPositions withStateTtl(Duration stateTtl) {
    return new TrackPositions(strategy, stateTtl);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, Sequenced<BarDecision>>> decisions) {
    SchemaRegistry schemas = decisions.getPipeline().getSchemaRegistry();
    @SuppressWarnings("unchecked")
    Coder<Sequenced<BarDecision>> numbered =
        ((KvCoder<String, Sequenced<BarDecision>>) decisions.getCoder()).getValueCoder();
    PCollectionTuple out =
        decisions.apply(
            "PaperTrade",
            ParDo.of(new PositionFn(strategy, StateTtl.of(stateTtl), numbered, openCoder(schemas)))
                .withOutputTags(POSITIONS, TupleTagList.of(TRADES).and(CHANGES)));
    try {
      out.get(POSITIONS).setCoder(schemas.getSchemaCoder(Position.class));
      out.get(TRADES).setCoder(schemas.getSchemaCoder(Trade.class));
      out.get(CHANGES)
          .setCoder(
              KvCoder.of(
                  org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                  SequencedCoder.of(schemas.getSchemaCoder(PositionChange.class))));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static Coder<OpenPosition> openCoder(SchemaRegistry schemas) {
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
  static final class PositionFn extends DoFn<KV<String, Sequenced<BarDecision>>, Position> {
    /** Decisions that arrived before their predecessor. */
    private static final String PENDING = "pending";

    /** Number of the next decision to process. */
    private static final String NEXT = "next";

    /** The open position; cleared when it closes. */
    private static final String OPEN = "open";

    /** The numbering of the position changes. */
    private static final String CHANGES_NUMBERING = "changesNumbering";

    /** When the symbol's last decision came, and when its expiry timer is set for. */
    private static final String EXPIRY = "expiry";

    /** Fires a state TTL after the symbol's last decision: then its state is cleared. */
    private static final String EXPIRE = "expire";

    @StateId(PENDING)
    private final StateSpec<MapState<Long, Sequenced<BarDecision>>> pendingSpec;

    @StateId(NEXT)
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(OPEN)
    private final StateSpec<ValueState<OpenPosition>> openSpec;

    @StateId(CHANGES_NUMBERING)
    private final StateSpec<ValueState<Numbering>> numberingSpec =
        StateSpecs.value(NumberingCoder.of());

    @StateId(EXPIRY)
    private final StateSpec<ValueState<StateTtl.Expiry>> expirySpec =
        StateSpecs.value(ExpiryCoder.of());

    @TimerId(EXPIRE)
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final StrategyConfig strategy;
    private final StateTtl ttl;
    private final Counter opened = PipelineMetrics.counter(PipelineMetrics.POSITIONS_OPENED);
    private final Counter snapshots = PipelineMetrics.counter(PipelineMetrics.POSITION_SNAPSHOTS);
    private final Counter trades = PipelineMetrics.counter(PipelineMetrics.TRADES);

    PositionFn(
        StrategyConfig strategy,
        StateTtl ttl,
        Coder<Sequenced<BarDecision>> decisionCoder,
        Coder<OpenPosition> openCoder) {
      this.strategy = strategy;
      this.ttl = ttl;
      this.openSpec = StateSpecs.value(openCoder);
      this.pendingSpec = StateSpecs.map(VarLongCoder.of(), decisionCoder);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Sequenced<BarDecision>> element,
        @Timestamp Instant timestamp,
        @StateId(PENDING) MapState<Long, Sequenced<BarDecision>> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(OPEN) ValueState<OpenPosition> openState,
        @StateId(CHANGES_NUMBERING) ValueState<Numbering> numberingState,
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
      List<Sequenced<BarDecision>> ready = InOrderBuffer.offer(element.getValue(), pending, next);
      if (ready.isEmpty()) {
        return;
      }
      String symbol = element.getKey();
      // A new generation: the symbol was silent for the state TTL; an open position is forgotten.
      OpenPosition before = ready.get(0).startsGeneration() ? null : openState.read();
      OpenPosition open = before;
      Numbering numbering = numberingState.read();
      if (numbering == null) {
        numbering = new Numbering();
      }
      boolean numbered = false;
      for (Sequenced<BarDecision> d : ready) {
        Signal s = d.value().getSignal();
        PositionChange change = null;
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
          change = PositionChange.create(symbol, strategy.name(), null);
          open = null;
        }
        if (open != null) {
          snapshots.inc();
          Position p = snapshot(symbol, open, d.value().getBar());
          out.get(POSITIONS).output(p);
          change = PositionChange.create(symbol, strategy.name(), p);
        }
        if (change != null) {
          out.get(CHANGES)
              .output(
                  KV.of(
                      symbol,
                      numbering.number(change, timestamp.getMillis(), d.seq(), ttl.millis())));
          numbered = true;
        }
      }
      if (numbered) {
        numberingState.write(numbering);
      }
      if (open == null) {
        if (before != null || ready.get(0).startsGeneration()) {
          openState.clear();
        }
      } else if (open != before) {
        openState.write(open);
      }
    }

    /** Clears every state cell of a symbol silent for the state TTL. */
    @OnTimer(EXPIRE)
    public void onExpire(
        OnTimerContext context,
        @StateId(PENDING) MapState<Long, Sequenced<BarDecision>> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(OPEN) ValueState<OpenPosition> openState,
        @StateId(CHANGES_NUMBERING) ValueState<Numbering> numberingState,
        @StateId(EXPIRY) ValueState<StateTtl.Expiry> expiryState,
        @TimerId(EXPIRE) Timer expire) {
      if (!ttl.expired(expiryState, context.fireTimestamp().getMillis(), expire)) {
        return;
      }
      pending.clear();
      next.clear();
      openState.clear();
      numberingState.clear();
      expiryState.clear();
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
