package io.tickstream.pipeline.transforms;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.Durations;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.Sequenced.SequencedCoder;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.pipeline.time.WallClock;
import io.tickstream.tick.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Drops resent ticks and aggregates the rest into one-minute event-time bars, per symbol, in one
 * keyed step.
 *
 * <p>Bounded or unbounded input of ticks timestamped with their event time, in any windowing (the
 * transform keeps its own per-symbol clock). Outputs: {@link #UNIQUE_TICKS}, every tick but the
 * resends (late ones included) in batches, and {@link #BARS}.
 *
 * <p><b>Deduplication.</b> The second and later ticks with an {@code event_id} seen within the
 * dedup window of event time are dropped (sources are at-least-once; this makes the lake
 * exactly-once per event id; the number dropped is {@code ticks_valid - ticks_unique}). Seen ids
 * expire by an event-time timer once they are a window old, swept at most four times a window, so a
 * symbol holds at most 1.25 windows of ids. Keyed by symbol rather than by event id (as Beam's
 * {@link org.apache.beam.sdk.transforms.Deduplicate} is): an event-id key would shuffle a symbol's
 * ticks across workers and scramble their arrival order, which the clock below relies on.
 *
 * <p><b>Bars.</b> A symbol's clock is the later of (its latest tick's event time − max
 * out-of-orderness) and the pipeline's watermark, seen through an event-time timer at the end of
 * the earliest open minute. A minute is finalized, and its bar emitted, once the clock passes its
 * end; a tick behind the clock is late: it is counted ({@code late_ticks}) and goes into no bar.
 * Because the data itself advances the clock, the same input gives the same bars on every runner;
 * the timer only finalizes minutes of symbols that went quiet, and at the end of bounded input.
 * Bars come out per symbol in window order, numbered ({@link Sequenced}) so that the next stateful
 * steps can restore that order whatever the runner does between them ({@link
 * io.tickstream.pipeline.state.InOrderBuffer}); a bar a state TTL or more after the symbol's
 * previous one starts a new generation, and the steps after this one start the symbol afresh.
 *
 * <p><b>State TTL.</b> A symbol whose latest tick is a state TTL of event time behind the watermark
 * leaves no state behind: an expiry timer clears its ids, its clock and its other timers.
 *
 * <p>Both live in one step because each keyed step costs a shuffle of every tick; per symbol, the
 * state is the seen ids and one small {@link SymbolClock}. The step takes a bundle's ticks of a
 * symbol at once ({@link BatchBySymbol}), in arrival order, and handles each as if it came alone,
 * so it reads and writes the clock and sets timers once per batch. Bounded input goes one tick at a
 * time: its bundles can be the whole input.
 */
@AutoValue
public abstract class ComputeBars extends PTransform<PCollection<Tick>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /**
   * Every input tick but the resends, late ticks included: each batch's unique ticks as one list,
   * stamped with the earliest of their times. One element a batch, where one a tick was a third of
   * this step's time.
   */
  public static final TupleTag<List<Tick>> UNIQUE_TICKS = Dataset.TICKS.batchesTag();

  /** Finalized bars, keyed by symbol, numbered per symbol ({@link Sequenced}). */
  public static final TupleTag<KV<String, Sequenced<Bar>>> BARS =
      new TupleTag<KV<String, Sequenced<Bar>>>() {};

  abstract long getBarMillis();

  abstract long getMaxOutOfOrdernessMillis();

  abstract long getDedupWindowMillis();

  abstract Duration getStateTtl();

  abstract WallClock getClock();

  abstract boolean getTimeSorted();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBarMillis(long barMillis);

    abstract Builder setMaxOutOfOrdernessMillis(long maxOutOfOrdernessMillis);

    abstract Builder setDedupWindowMillis(long dedupWindowMillis);

    abstract Builder setStateTtl(Duration stateTtl);

    abstract Builder setClock(WallClock clock);

    abstract Builder setTimeSorted(boolean timeSorted);

    abstract ComputeBars autoBuild();

    ComputeBars build() {
      ComputeBars c = autoBuild();
      if (c.getDedupWindowMillis() <= 0) {
        throw new IllegalArgumentException(
            "the dedup window must be positive, was " + c.getDedupWindowMillis() + " ms");
      }
      StateTtl.of(c.getStateTtl());
      return c;
    }
  }

  /**
   * One-minute bars with the given bound on out-of-orderness, of ticks unique within {@code
   * dedupWindow}.
   */
  public static ComputeBars oneMinute(Duration maxOutOfOrderness, Duration dedupWindow) {
    return new AutoValue_ComputeBars.Builder()
        .setBarMillis(60_000)
        .setMaxOutOfOrdernessMillis(maxOutOfOrderness.toMillis())
        .setDedupWindowMillis(dedupWindow.toMillis())
        .setStateTtl(Durations.parse(ProcessTicks.DEFAULT_STATE_TTL))
        .setClock(WallClock.SYSTEM)
        .setTimeSorted(false)
        .build();
  }

  /**
   * For bounded input (files, backfills): each symbol's ticks go in event-time order, and the same
   * clock, bars and dedup run over them, tick by tick, as over a stream. They are sorted in two
   * steps: each symbol's hour in memory ({@link SortEachSymbolHour}), then the hours by the runner
   * ({@link DoFn.RequiresTimeSortedInput}), which is cheap with a few hours a symbol where sorting
   * every tick would be costly (Flink's batch mode compares the timestamps through Kryo). Runners
   * in batch mode may fire event-time timers only once a key's input ends (Flink's does), so here
   * the data's own clock also sweeps expired ids as it passes them: a symbol holds a dedup window
   * of ids, however long the input.
   */
  public ComputeBars forTimeSortedInput(boolean timeSorted) {
    return toBuilder().setTimeSorted(timeSorted).build();
  }

  /** Forgets a symbol silent for {@code stateTtl} of event time (see {@link StateTtl}). */
  public ComputeBars withStateTtl(Duration stateTtl) {
    return toBuilder().setStateTtl(stateTtl).build();
  }

  /** The clock of the {@code bar_delay_ms} metric. */
  public ComputeBars withClock(WallClock clock) {
    return toBuilder().setClock(clock).build();
  }

  @Override
  public PCollectionTuple expand(PCollection<Tick> ticks) {
    PCollection<KV<String, List<Tick>>> batches =
        getTimeSorted()
            ? ticks.apply("SortEachSymbolHour", new SortEachSymbolHour())
            : ticks.apply("BatchBySymbol", ParDo.of(new BatchBySymbol()));
    BarFn fn =
        new BarFn(
            getBarMillis(),
            getMaxOutOfOrdernessMillis(),
            getDedupWindowMillis(),
            StateTtl.of(getStateTtl()),
            getClock(),
            getTimeSorted());
    PCollectionTuple out =
        batches
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(ticks.getCoder())))
            .apply(
                "DeduplicateAndAggregate",
                (getTimeSorted() ? ParDo.of(new TimeSortedBarFn(fn)) : ParDo.of(fn))
                    .withOutputTags(UNIQUE_TICKS, TupleTagList.of(BARS)));
    out.get(UNIQUE_TICKS).setCoder(ListCoder.of(ticks.getCoder()));
    out.get(BARS).setCoder(KvCoder.of(StringUtf8Coder.of(), SequencedCoder.of(barCoder(ticks))));
    return out;
  }

  private static Coder<Bar> barCoder(PCollection<Tick> ticks) {
    try {
      return ticks.getPipeline().getSchemaRegistry().getSchemaCoder(Bar.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Per-symbol dedup and minute aggregation with a data-driven clock. */
  static final class BarFn extends DoFn<KV<String, List<Tick>>, List<Tick>> {
    /** The event ids remembered. */
    static final String SEEN = "seen";

    /**
     * New ids by time bucket (a quarter of the dedup window), an entry per bucket a batch touched,
     * until the next sweep files them under {@link #BUCKETS}. Appending here is the only per-batch
     * cost of expiry.
     */
    static final String INTAKE = "intake";

    /** Filed ids by time bucket, so that a sweep reads only the buckets it forgets. */
    static final String BUCKETS = "buckets";

    /** Buckets a dedup window is cut into; ids live at most 1 + 1/this windows. */
    static final int BUCKETS_PER_WINDOW = 4;

    /** The symbol's {@link SymbolClock}. */
    static final String CLOCK = "clock";

    /** Fires when the watermark passes the end of the earliest open minute. */
    static final String FLUSH = "flush";

    /** Fires when the oldest id bucket is a dedup window old. */
    static final String SWEEP = "sweep";

    /** Fires a state TTL after the symbol's latest tick: then its state is cleared. */
    static final String EXPIRE = "expire";

    @StateId(SEEN)
    private final StateSpec<SetState<String>> seenSpec = StateSpecs.set(StringUtf8Coder.of());

    @StateId(INTAKE)
    private final StateSpec<BagState<KV<Long, List<String>>>> intakeSpec =
        StateSpecs.bag(KvCoder.of(VarLongCoder.of(), ListCoder.of(StringUtf8Coder.of())));

    @StateId(BUCKETS)
    private final StateSpec<MapState<Long, List<String>>> bucketsSpec =
        StateSpecs.map(VarLongCoder.of(), ListCoder.of(StringUtf8Coder.of()));

    @StateId(CLOCK)
    private final StateSpec<ValueState<SymbolClock>> clockSpec =
        StateSpecs.value(SymbolClock.Coder.of());

    @TimerId(FLUSH)
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId(SWEEP)
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId(EXPIRE)
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final long barMillis;
    private final long maxOutOfOrdernessMillis;
    private final long dedupWindowMillis;
    private final long bucketMillis;
    private final StateTtl ttl;
    private final WallClock clock;
    private final boolean timeSorted;
    private final Counter unique = PipelineMetrics.counter(PipelineMetrics.TICKS_UNIQUE);
    private final Counter late = PipelineMetrics.counter(PipelineMetrics.LATE_TICKS);
    private final Counter bars = PipelineMetrics.counter(PipelineMetrics.BARS);
    private final Distribution delay = PipelineMetrics.distribution(PipelineMetrics.BAR_DELAY_MS);

    BarFn(
        long barMillis,
        long maxOutOfOrdernessMillis,
        long dedupWindowMillis,
        StateTtl ttl,
        WallClock clock,
        boolean timeSorted) {
      this.ttl = ttl;
      this.clock = clock;
      this.timeSorted = timeSorted;
      this.barMillis = barMillis;
      this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
      this.dedupWindowMillis = dedupWindowMillis;
      this.bucketMillis = Math.max(1, dedupWindowMillis / BUCKETS_PER_WINDOW);
    }

    /**
     * A bundle's ticks of one symbol in arrival order, each dropped if resent, else emitted (with
     * the batch's other unique ticks) and added to its minute unless behind the clock.
     */
    @ProcessElement
    public void process(
        @Element KV<String, List<Tick>> batch,
        @StateId(SEEN) SetState<String> seen,
        @StateId(INTAKE) BagState<KV<Long, List<String>>> intake,
        @StateId(BUCKETS) MapState<Long, List<String>> buckets,
        @StateId(CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(FLUSH) Timer flush,
        @TimerId(SWEEP) Timer sweep,
        @TimerId(EXPIRE) Timer expire,
        MultiOutputReceiver out) {
      String symbol = batch.getKey();
      SymbolClock state = read(clockState);
      Map<Long, List<String>> arrived = new TreeMap<>();
      List<Tick> uniques = new ArrayList<>(batch.getValue().size());
      long earliest = Long.MAX_VALUE;
      long latest = Long.MIN_VALUE;
      long lates = 0;
      for (Tick tick : batch.getValue()) {
        if (!seen.addIfAbsent(tick.getEventId()).read()) {
          continue;
        }
        long ts = tick.timestampMillis();
        uniques.add(tick);
        earliest = Math.min(earliest, ts);
        latest = Math.max(latest, ts);
        remember(tick.getEventId(), ts, state, arrived);
        if (ts < state.clock) {
          lates++;
          continue;
        }
        long start = Math.floorDiv(ts, barMillis) * barMillis;
        BarAccumulator acc = state.open.get(start);
        if (acc == null) {
          state.open.put(start, BarAccumulator.of(start, tick));
        } else {
          acc.add(tick);
        }
        if (ts - maxOutOfOrdernessMillis > state.clock) {
          state.clock = ts - maxOutOfOrdernessMillis;
          // Bars finalized by a tick carry its timestamp, as if each tick came alone.
          finalizeUpTo(symbol, state, new Instant(ts), out);
          if (timeSorted) {
            // The data's clock sweeps as it passes, tick by tick, as a stream's watermark would.
            if (state.sweepAt == SymbolClock.NONE) {
              state.sweepAt = expiryOf(state.sweptBelow);
            }
            if (state.clock >= state.sweepAt) {
              fileArrived(arrived, intake);
              sweepUpTo(state.clock, seen, intake, buckets, state, sweep);
            }
          }
        }
      }
      if (!uniques.isEmpty()) {
        out.get(UNIQUE_TICKS).outputWithTimestamp(uniques, new Instant(earliest));
        ttl.touch(state.expiry, latest, expire);
      }
      unique.inc(uniques.size());
      late.inc(lates);
      if (!arrived.isEmpty()) {
        fileArrived(arrived, intake);
        if (state.sweepAt == SymbolClock.NONE) {
          state.sweepAt = expiryOf(state.sweptBelow);
          armSweep(sweep, state.sweepAt);
        }
      }
      rearmFlush(state, flush, timeSorted ? latest : Long.MIN_VALUE);
      clockState.write(state);
    }

    /** Moves the ids taken in since the last call into the intake. */
    private static void fileArrived(
        Map<Long, List<String>> arrived, BagState<KV<Long, List<String>>> intake) {
      for (Map.Entry<Long, List<String>> ids : arrived.entrySet()) {
        intake.add(KV.of(ids.getKey(), ids.getValue()));
      }
      arrived.clear();
    }

    /**
     * Takes in a new id under its time bucket, or under the oldest bucket not yet forgotten if its
     * own is older: an id is forgotten no earlier than a dedup window after its event time.
     */
    private void remember(String id, long ts, SymbolClock state, Map<Long, List<String>> arrived) {
      long bucket = Math.floorDiv(ts, bucketMillis);
      if (state.sweptBelow == SymbolClock.NONE) {
        state.sweptBelow = bucket;
      }
      bucket = Math.max(bucket, state.sweptBelow);
      arrived.computeIfAbsent(bucket, b -> new ArrayList<>()).add(id);
      state.newestBucket = Math.max(state.newestBucket, bucket);
    }

    /** When the ids of {@code bucket} are a dedup window old. */
    private long expiryOf(long bucket) {
      return (bucket + 1) * bucketMillis + dedupWindowMillis;
    }

    @OnTimer(FLUSH)
    public void onFlush(
        OnTimerContext context,
        @Key String symbol,
        @StateId(CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(FLUSH) Timer flush,
        MultiOutputReceiver out) {
      SymbolClock state = read(clockState);
      state.clock = Math.max(state.clock, context.fireTimestamp().getMillis());
      state.flushAt = SymbolClock.NONE;
      finalizeUpTo(symbol, state, context.timestamp(), out);
      rearmFlush(state, flush, timeSorted ? context.fireTimestamp().getMillis() : Long.MIN_VALUE);
      clockState.write(state);
    }

    /**
     * Files the intake under its buckets, then forgets the ids of every bucket that is now a dedup
     * window old; re-arms for the next bucket's expiry.
     */
    @OnTimer(SWEEP)
    public void onSweep(
        OnTimerContext context,
        @StateId(SEEN) SetState<String> seen,
        @StateId(INTAKE) BagState<KV<Long, List<String>>> intake,
        @StateId(BUCKETS) MapState<Long, List<String>> buckets,
        @StateId(CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(SWEEP) Timer sweep) {
      SymbolClock state = read(clockState);
      sweepUpTo(context.fireTimestamp().getMillis(), seen, intake, buckets, state, sweep);
      clockState.write(state);
    }

    /** The sweep at event time {@code now}: see {@link #onSweep}. */
    private void sweepUpTo(
        long now,
        SetState<String> seen,
        BagState<KV<Long, List<String>>> intake,
        MapState<Long, List<String>> buckets,
        SymbolClock state,
        Timer sweep) {
      Map<Long, List<String>> arrived = new TreeMap<>();
      for (KV<Long, List<String>> ids : intake.read()) {
        arrived.computeIfAbsent(ids.getKey(), b -> new ArrayList<>()).addAll(ids.getValue());
      }
      intake.clear();
      for (Map.Entry<Long, List<String>> e : arrived.entrySet()) {
        List<String> filed = buckets.get(e.getKey()).read();
        if (filed != null) {
          List<String> merged = new ArrayList<>(filed);
          merged.addAll(e.getValue());
          buckets.put(e.getKey(), merged);
        } else {
          buckets.put(e.getKey(), e.getValue());
        }
      }

      while (state.sweptBelow <= state.newestBucket && expiryOf(state.sweptBelow) <= now) {
        List<String> expired = buckets.get(state.sweptBelow).read();
        if (expired != null) {
          for (String id : expired) {
            seen.remove(id);
          }
          buckets.remove(state.sweptBelow);
        }
        state.sweptBelow++;
      }
      if (state.sweptBelow <= state.newestBucket) {
        state.sweepAt = expiryOf(state.sweptBelow);
        armSweep(sweep, state.sweepAt);
      } else {
        state.sweepAt = SymbolClock.NONE;
      }
    }

    /**
     * Sets the sweep timer, except on time-sorted input: there the data's clock sweeps as it passes
     * (the timer would fire only at the input's end), and the next sweep may be due before the tick
     * at hand, where no timer may be set.
     */
    private void armSweep(Timer sweep, long at) {
      if (!timeSorted) {
        sweep.set(new Instant(at));
      }
    }

    /** Clears every state cell and timer of a symbol silent for the state TTL. */
    @OnTimer(EXPIRE)
    public void onExpire(
        OnTimerContext context,
        @StateId(SEEN) SetState<String> seen,
        @StateId(INTAKE) BagState<KV<Long, List<String>>> intake,
        @StateId(BUCKETS) MapState<Long, List<String>> buckets,
        @StateId(CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(FLUSH) Timer flush,
        @TimerId(SWEEP) Timer sweep,
        @TimerId(EXPIRE) Timer expire) {
      SymbolClock state = read(clockState);
      if (!ttl.expired(state.expiry, context.fireTimestamp().getMillis(), expire)) {
        clockState.write(state);
        return;
      }
      seen.clear();
      intake.clear();
      buckets.clear();
      clockState.clear();
      flush.clear();
      sweep.clear();
    }

    private static SymbolClock read(ValueState<SymbolClock> clockState) {
      SymbolClock state = clockState.read();
      return state == null ? new SymbolClock() : state;
    }

    /**
     * Emits, in order and at {@code timestamp}, every open minute that ends at or before the clock.
     */
    private void finalizeUpTo(
        String symbol, SymbolClock state, Instant timestamp, MultiOutputReceiver out) {
      Iterator<Map.Entry<Long, BarAccumulator>> minutes = state.open.entrySet().iterator();
      while (minutes.hasNext()) {
        Map.Entry<Long, BarAccumulator> minute = minutes.next();
        if (minute.getKey() + barMillis > state.clock) {
          return;
        }
        Bar bar = minute.getValue().toBar(symbol, barMillis);
        minutes.remove();
        bars.inc();
        delay.update(clock.now().getMillis() - bar.getWindowEnd().getMillis());
        Sequenced<Bar> numbered =
            state.numbering.number(
                bar,
                timestamp.getMillis(),
                Math.floorDiv(bar.getWindowStart().getMillis(), barMillis),
                ttl.millis());
        out.get(BARS).outputWithTimestamp(KV.of(symbol, numbered), timestamp);
      }
    }

    /** Sets the flush timer for the end of the earliest open minute, if that changed. */
    private void rearmFlush(SymbolClock state, Timer flush, long notBefore) {
      if (state.open.isEmpty()) {
        return;
      }
      // On time-sorted input the timer fires only at the input's end, and may not be set before
      // the tick at hand: the clock has already passed an open minute's end when it is behind it.
      long end = Math.max(state.open.firstKey() + barMillis, notBefore);
      if (state.flushAt != end) {
        state.flushAt = end;
        flush.set(new Instant(end));
      }
    }
  }

  /**
   * Each symbol's ticks of each event-time hour in event-time order (ties by event id, then by
   * price and volume, so the order is total), in runs of about {@value BatchBySymbolHour#MAX_BATCH}
   * stamped with their first tick's time: the elements {@link TimeSortedBarFn} gets in time order.
   * Holds one symbol's hour in memory.
   */
  static final class SortEachSymbolHour
      extends PTransform<PCollection<Tick>, PCollection<KV<String, List<Tick>>>> {
    @Override
    public PCollection<KV<String, List<Tick>>> expand(PCollection<Tick> ticks) {
      return ticks
          .apply("BatchBySymbolHour", ParDo.of(new BatchBySymbolHour()))
          .setCoder(
              KvCoder.of(
                  KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()),
                  ListCoder.of(ticks.getCoder())))
          .apply(
              "StampedWithTheEarliest",
              Window.<KV<KV<String, Long>, List<Tick>>>configure()
                  .withTimestampCombiner(TimestampCombiner.EARLIEST))
          .apply("GroupBySymbolHour", GroupByKey.create())
          .apply("SortTheHour", ParDo.of(new SortHour()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(ticks.getCoder())));
    }
  }

  /** Sorts one symbol's hour. */
  private static final class SortHour
      extends DoFn<KV<KV<String, Long>, Iterable<List<Tick>>>, KV<String, List<Tick>>> {
    private static final Comparator<Tick> ORDER =
        Comparator.comparingLong(Tick::timestampMillis)
            .thenComparing(Tick::getEventId)
            .thenComparingDouble(Tick::getPrice)
            .thenComparingLong(Tick::getVolume);

    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, Iterable<List<Tick>>> hour,
        OutputReceiver<KV<String, List<Tick>>> out) {
      List<Tick> ticks = new ArrayList<>();
      hour.getValue().forEach(ticks::addAll);
      ticks.sort(ORDER);
      // In runs of about a batch, each stamped with its first tick, cut where the time changes so
      // no two runs share a timestamp: large elements are slow in Flink's sorter, and runs with
      // distinct stamps keep their order when the runner sorts them.
      String symbol = hour.getKey().getKey();
      int from = 0;
      while (from < ticks.size()) {
        int to = Math.min(from + BatchBySymbolHour.MAX_BATCH, ticks.size());
        while (to < ticks.size()
            && ticks.get(to).timestampMillis() == ticks.get(to - 1).timestampMillis()) {
          to++;
        }
        out.outputWithTimestamp(
            KV.of(symbol, new ArrayList<>(ticks.subList(from, to))),
            new Instant(ticks.get(from).timestampMillis()));
        from = to;
      }
    }
  }

  /**
   * {@link BarFn} over each symbol's ticks in event-time order: the same state, timers and code,
   * declared again because Beam ties state to the class that declares it and time-sorted input to
   * the annotation on the class's own method.
   */
  static final class TimeSortedBarFn extends DoFn<KV<String, List<Tick>>, List<Tick>> {
    @StateId(BarFn.SEEN)
    private final StateSpec<SetState<String>> seenSpec = StateSpecs.set(StringUtf8Coder.of());

    @StateId(BarFn.INTAKE)
    private final StateSpec<BagState<KV<Long, List<String>>>> intakeSpec =
        StateSpecs.bag(KvCoder.of(VarLongCoder.of(), ListCoder.of(StringUtf8Coder.of())));

    @StateId(BarFn.BUCKETS)
    private final StateSpec<MapState<Long, List<String>>> bucketsSpec =
        StateSpecs.map(VarLongCoder.of(), ListCoder.of(StringUtf8Coder.of()));

    @StateId(BarFn.CLOCK)
    private final StateSpec<ValueState<SymbolClock>> clockSpec =
        StateSpecs.value(SymbolClock.Coder.of());

    @TimerId(BarFn.FLUSH)
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId(BarFn.SWEEP)
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId(BarFn.EXPIRE)
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final BarFn fn;

    TimeSortedBarFn(BarFn fn) {
      this.fn = fn;
    }

    @ProcessElement
    @RequiresTimeSortedInput
    public void process(
        @Element KV<String, List<Tick>> batch,
        @StateId(BarFn.SEEN) SetState<String> seen,
        @StateId(BarFn.INTAKE) BagState<KV<Long, List<String>>> intake,
        @StateId(BarFn.BUCKETS) MapState<Long, List<String>> buckets,
        @StateId(BarFn.CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(BarFn.FLUSH) Timer flush,
        @TimerId(BarFn.SWEEP) Timer sweep,
        @TimerId(BarFn.EXPIRE) Timer expire,
        MultiOutputReceiver out) {
      fn.process(batch, seen, intake, buckets, clockState, flush, sweep, expire, out);
    }

    @OnTimer(BarFn.FLUSH)
    public void onFlush(
        OnTimerContext context,
        @Key String symbol,
        @StateId(BarFn.CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(BarFn.FLUSH) Timer flush,
        MultiOutputReceiver out) {
      fn.onFlush(context, symbol, clockState, flush, out);
    }

    @OnTimer(BarFn.SWEEP)
    public void onSweep(
        OnTimerContext context,
        @StateId(BarFn.SEEN) SetState<String> seen,
        @StateId(BarFn.INTAKE) BagState<KV<Long, List<String>>> intake,
        @StateId(BarFn.BUCKETS) MapState<Long, List<String>> buckets,
        @StateId(BarFn.CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(BarFn.SWEEP) Timer sweep) {
      fn.onSweep(context, seen, intake, buckets, clockState, sweep);
    }

    @OnTimer(BarFn.EXPIRE)
    public void onExpire(
        OnTimerContext context,
        @StateId(BarFn.SEEN) SetState<String> seen,
        @StateId(BarFn.INTAKE) BagState<KV<Long, List<String>>> intake,
        @StateId(BarFn.BUCKETS) MapState<Long, List<String>> buckets,
        @StateId(BarFn.CLOCK) ValueState<SymbolClock> clockState,
        @TimerId(BarFn.FLUSH) Timer flush,
        @TimerId(BarFn.SWEEP) Timer sweep,
        @TimerId(BarFn.EXPIRE) Timer expire) {
      fn.onExpire(context, seen, intake, buckets, clockState, flush, sweep, expire);
    }
  }
}
