package io.tickstream.pipeline.transforms;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.Durations;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.Position;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.time.WallClock;
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
@AutoValue
public abstract class ProcessTicks extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

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
  public static final TupleTag<KV<String, Sequenced<PositionChange>>> POSITION_CHANGES =
      TrackPositions.CHANGES;

  /** The default dedup window, as typed on the command line. */
  public static final String DEFAULT_DEDUP_WINDOW = "10m";

  /** The default bound on out-of-orderness, as typed on the command line. */
  public static final String DEFAULT_MAX_OUT_OF_ORDERNESS = "30s";

  /** The default of {@link #withStateTtl}, as typed on the command line: a day of event time. */
  public static final String DEFAULT_STATE_TTL = "1d";

  abstract Duration getDedupWindow();

  abstract Duration getMaxOutOfOrderness();

  abstract Duration getStateTtl();

  abstract StrategyConfig getStrategy();

  abstract boolean getBounded();

  abstract WallClock getClock();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setDedupWindow(Duration dedupWindow);

    abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    abstract Builder setStateTtl(Duration stateTtl);

    abstract Builder setStrategy(StrategyConfig strategy);

    abstract Builder setBounded(boolean bounded);

    abstract Builder setClock(WallClock clock);

    abstract ProcessTicks build();
  }

  /**
   * Unbounded input, state kept {@value #DEFAULT_STATE_TTL} after a symbol's last tick, times read
   * from the system clock.
   *
   * @param dedupWindow how long an event id is remembered, in event time
   * @param maxOutOfOrderness how far behind its symbol's latest tick a tick may be and still count
   * @param strategy the crossover strategy and trading rules
   */
  public static ProcessTicks of(
      Duration dedupWindow, Duration maxOutOfOrderness, StrategyConfig strategy) {
    return new AutoValue_ProcessTicks.Builder()
        .setDedupWindow(dedupWindow)
        .setMaxOutOfOrderness(maxOutOfOrderness)
        .setStateTtl(Durations.parse(DEFAULT_STATE_TTL))
        .setStrategy(strategy)
        .setBounded(false)
        .setClock(WallClock.SYSTEM)
        .build();
  }

  /**
   * For bounded input (files, backfills): each symbol's ticks are processed in event-time order
   * (see {@link ComputeBars#forTimeSortedInput}), so no tick is late, resends are dropped within
   * the dedup window as in a stream, and memory does not grow with the input's length.
   */
  public ProcessTicks forBoundedInput(boolean bounded) {
    return toBuilder().setBounded(bounded).build();
  }

  /**
   * Event time a symbol may be silent before the steps forget it: its dedup ids, open minutes,
   * averages and open position go, and the next tick starts it afresh. Longer than the dedup window
   * and the max out-of-orderness.
   */
  public ProcessTicks withStateTtl(Duration stateTtl) {
    return toBuilder().setStateTtl(stateTtl).build();
  }

  /** The clock of received times and lag metrics (tests pass a fixed one). */
  public ProcessTicks withClock(WallClock clock) {
    return toBuilder().setClock(clock).build();
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

  /** Checked when applied, after every {@code with...} call, so their order does not matter. */
  private void checkStateTtl() {
    if (getStateTtl().compareTo(getDedupWindow()) <= 0
        || getStateTtl().compareTo(getMaxOutOfOrderness()) <= 0) {
      throw new IllegalArgumentException(
          "the state TTL ("
              + getStateTtl()
              + ") must be longer than the dedup window ("
              + getDedupWindow()
              + ") and the max out-of-orderness ("
              + getMaxOutOfOrderness()
              + "): a symbol's state may only go once nothing of it can still count");
    }
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
    checkStateTtl();
    PCollectionTuple parsed = raw.apply("ParseTicks", ParseTicks.create().withClock(getClock()));
    PCollectionTuple bars =
        parsed
            .get(ParseTicks.TICKS)
            .apply(
                "ComputeBars",
                ComputeBars.oneMinute(getMaxOutOfOrderness(), getDedupWindow())
                    .forTimeSortedInput(getBounded())
                    .withStateTtl(getStateTtl())
                    .withClock(getClock()));
    PCollection<List<Tick>> unique = bars.get(ComputeBars.UNIQUE_TICKS);
    PCollectionTuple signals =
        bars.get(ComputeBars.BARS)
            .apply("DetectSignals", DetectSignals.with(getStrategy()).withStateTtl(getStateTtl()));
    PCollectionTuple positions =
        signals
            .get(DetectSignals.DECISIONS)
            .apply(
                "TrackPositions", TrackPositions.with(getStrategy()).withStateTtl(getStateTtl()));
    PCollection<Bar> plainBars;
    try {
      plainBars =
          bars.get(ComputeBars.BARS)
              .apply(
                  "DropBarNumbers",
                  MapElements.into(TypeDescriptor.of(Bar.class))
                      .via((KV<String, Sequenced<Bar>> kv) -> kv.getValue().value()))
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
