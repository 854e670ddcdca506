package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.Position;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.tick.Tick;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * The whole trading computation, source- and runner-independent: raw records in, the six lake
 * datasets out (ticks, bars, signals, positions, trades, dead letters), each under its {@link
 * Dataset}'s own tag as the step that makes it emits it, so the output goes to {@code WriteLake} as
 * it is; {@link #POSITION_CHANGES}, which is no dataset, rides along for a positions table.
 *
 * <p>Bounded or unbounded input; the same transform serves the streaming job and batch backfills.
 * Parse → deduplicate and aggregate bars (late ticks kept out of bars) → signals → positions and
 * trades. Every input record ends up in {@link #TICK_BATCHES} (valid, unique; late ones included)
 * or {@link #DEAD_LETTERS}, or was a duplicate, counted by the metrics.
 */
public final class ProcessTicks extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  /**
   * The unique ticks (late ones included) in batches, each stamped with the earliest of its ticks'
   * times; {@link #ticksOf} gives them one by one.
   */
  public static final TupleTag<List<Tick>> TICK_BATCHES = ComputeBars.UNIQUE_TICKS;

  /** The finalized bars, without their per-symbol numbers. */
  public static final TupleTag<Bar> BARS = Dataset.BARS_1M.tag();

  public static final TupleTag<Signal> SIGNALS = DetectSignals.SIGNALS;
  public static final TupleTag<Position> POSITIONS = TrackPositions.POSITIONS;
  public static final TupleTag<Trade> TRADES = TrackPositions.TRADES;
  public static final TupleTag<DeadLetter> DEAD_LETTERS = ParseTicks.DEAD_LETTERS;

  /** Not a lake dataset: the numbered opens, marks and closes that keep a positions table. */
  public static final TupleTag<KV<String, KV<Long, PositionChange>>> POSITION_CHANGES =
      TrackPositions.CHANGES;

  private final Duration dedupWindow;
  private final Duration maxOutOfOrderness;
  private final StrategyConfig strategy;

  private final boolean bounded;

  private ProcessTicks(
      Duration dedupWindow, Duration maxOutOfOrderness, StrategyConfig strategy, boolean bounded) {
    this.dedupWindow = dedupWindow;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.strategy = strategy;
    this.bounded = bounded;
  }

  /**
   * @param dedupWindow how long an event id is remembered, in event time
   * @param maxOutOfOrderness how far behind its symbol's latest tick a tick may be and still count
   * @param strategy the crossover strategy and trading rules
   */
  public static ProcessTicks of(
      Duration dedupWindow, Duration maxOutOfOrderness, StrategyConfig strategy) {
    return new ProcessTicks(dedupWindow, maxOutOfOrderness, strategy, false);
  }

  /**
   * For bounded input (files, backfills), whose runners deliver a key's elements in no particular
   * order: bars are finalized when the input ends instead of by arrival, and no tick is late.
   */
  public ProcessTicks forBoundedInput(boolean bounded) {
    return new ProcessTicks(dedupWindow, maxOutOfOrderness, strategy, bounded);
  }

  /**
   * The unique ticks of {@code out} (this transform's output) one by one, each at its own event
   * time, e.g. to assert on them; applies a step named {@code EachTick}.
   */
  public static PCollection<Tick> ticksOf(PCollectionTuple out) {
    PCollection<List<Tick>> batches = out.get(TICK_BATCHES);
    return batches
        .apply("EachTick", ParDo.of(new EachAtItsTime()))
        .setCoder(((ListCoder<Tick>) batches.getCoder()).getElemCoder());
  }

  /** Emits each tick of a batch at its event time (never before the batch's). */
  private static final class EachAtItsTime extends DoFn<List<Tick>, Tick> {
    @ProcessElement
    public void process(@Element List<Tick> batch, OutputReceiver<Tick> out) {
      for (Tick tick : batch) {
        out.outputWithTimestamp(tick, new Instant(tick.timestampMillis()));
      }
    }
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> raw) {
    PCollectionTuple parsed = raw.apply("ParseTicks", ParseTicks.create());
    PCollectionTuple bars =
        parsed
            .get(ParseTicks.TICKS)
            .apply(
                "ComputeBars",
                bounded
                    ? ComputeBars.oneMinuteOfBoundedInput(dedupWindow)
                    : ComputeBars.oneMinute(maxOutOfOrderness, dedupWindow));
    PCollection<List<Tick>> unique = bars.get(ComputeBars.UNIQUE_TICKS);
    PCollectionTuple signals =
        bars.get(ComputeBars.BARS).apply("DetectSignals", DetectSignals.with(strategy));
    PCollectionTuple positions =
        signals.get(DetectSignals.DECISIONS).apply("TrackPositions", TrackPositions.with(strategy));
    PCollection<Bar> plainBars;
    try {
      plainBars =
          bars.get(ComputeBars.BARS)
              .apply(
                  "DropBarNumbers",
                  MapElements.into(TypeDescriptor.of(Bar.class))
                      .via((KV<String, KV<Long, Bar>> kv) -> kv.getValue().getValue()))
              .setCoder(raw.getPipeline().getSchemaRegistry().getSchemaCoder(Bar.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return PCollectionTuple.of(TICK_BATCHES, unique)
        .and(BARS, plainBars)
        .and(SIGNALS, signals.get(DetectSignals.SIGNALS))
        .and(POSITIONS, positions.get(TrackPositions.POSITIONS))
        .and(TRADES, positions.get(TrackPositions.TRADES))
        .and(DEAD_LETTERS, parsed.get(ParseTicks.DEAD_LETTERS))
        .and(POSITION_CHANGES, positions.get(TrackPositions.CHANGES));
  }
}
