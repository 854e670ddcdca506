package io.tickstream.pipeline.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.BarDecision;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.testing.KeyedDoFnHarness;
import io.tickstream.tick.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Every stateful step forgets a symbol silent for the state TTL: no state cell and no timer of it
 * is left, as the Flink training's tests check with Flink's harness; and a symbol back after that
 * starts afresh. Times are seconds after {@code new Instant(0)}.
 */
class StateTtlTest {
  private static final Duration TTL = Duration.ofHours(1);
  private static final StrategyConfig STRATEGY = new StrategyConfig(2, 3, 10_000, 0);
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.createDefault();

  @Test
  void computeBarsLeavesNoStateOrTimerOfASilentSymbol() throws Exception {
    KeyedDoFnHarness<String, List<Tick>, List<Tick>> bars =
        new KeyedDoFnHarness<>(
            new ComputeBars.BarFn(
                60_000, 30_000, 600_000, StateTtl.of(TTL), () -> new Instant(0), false),
            "ABC",
            ComputeBars.UNIQUE_TICKS,
            List.of(ComputeBars.BARS));
    for (int second = 0; second < 300; second += 10) {
      bars.process(List.of(tick("ABC-" + second, second, 10 + second / 60.0)), at(second));
    }
    bars.advanceWatermarkTo(at(290 + 30 * 60));
    assertEquals(5, bars.values(ComputeBars.BARS).size(), "every minute was finalized");
    assertFalse(bars.hasNoState(), "ids and the clock are held for the TTL");
    assertTrue(bars.hasTimers(), "the expiry timer is set");

    bars.advanceWatermarkTo(at(290 + 3600 + 1));
    assertTrue(bars.hasNoState(), "no state left an hour after the last tick");
    assertFalse(bars.hasTimers(), "no timer left");
  }

  @Test
  void aTickBeforeTheTtlKeepsTheSymbolAndMovesTheExpiryOn() throws Exception {
    KeyedDoFnHarness<String, List<Tick>, List<Tick>> bars =
        new KeyedDoFnHarness<>(
            new ComputeBars.BarFn(
                60_000, 30_000, 600_000, StateTtl.of(TTL), () -> new Instant(0), false),
            "ABC",
            ComputeBars.UNIQUE_TICKS,
            List.of(ComputeBars.BARS));
    bars.process(List.of(tick("ABC-0", 0, 10)), at(0));
    bars.process(List.of(tick("ABC-1", 3000, 11)), at(3000));
    bars.advanceWatermarkTo(at(3601));
    assertFalse(bars.hasNoState(), "the second tick, 50 minutes later, keeps the symbol");
    bars.advanceWatermarkTo(at(3000 + 3601));
    assertTrue(bars.hasNoState());
    assertFalse(bars.hasTimers());
  }

  @Test
  void detectSignalsRestoresBarOrderAndLeavesNoStateOfASilentSymbol() throws Exception {
    List<Sequenced<Bar>> inOrder = numbered(bars(10, 10, 10, 12, 9, 6), 100);
    List<Sequenced<Bar>> shuffled =
        List.of(
            inOrder.get(1),
            inOrder.get(0),
            inOrder.get(3),
            inOrder.get(2),
            inOrder.get(5),
            inOrder.get(4),
            inOrder.get(3));
    KeyedDoFnHarness<String, Sequenced<Bar>, KV<String, Sequenced<BarDecision>>> expected =
        signals();
    inOrder.forEach(b -> expected.process(b, b.value().getWindowEnd()));
    KeyedDoFnHarness<String, Sequenced<Bar>, KV<String, Sequenced<BarDecision>>> actual = signals();
    shuffled.forEach(b -> actual.process(b, b.value().getWindowEnd()));

    List<Signal> signals = actual.values(DetectSignals.SIGNALS);
    assertEquals(expected.values(DetectSignals.SIGNALS), signals, "arrival order changes nothing");
    assertEquals(List.of(Signal.BUY, Signal.SELL), signals.stream().map(Signal::getSide).toList());
    assertEquals(
        List.of(100L, 101L, 102L, 103L, 104L, 105L),
        actual.values(DetectSignals.DECISIONS).stream().map(d -> d.getValue().seq()).toList(),
        "decisions in bar order, numbered as the bars, the replayed bar ignored");

    actual.advanceWatermarkTo(at(360 + 3600 - 1));
    assertFalse(actual.hasNoState());
    actual.advanceWatermarkTo(at(360 + 3600 + 1));
    assertTrue(actual.hasNoState(), "no closes, means or bar number left");
    assertFalse(actual.hasTimers());
  }

  @Test
  void aNewGenerationStartsTheAveragesAfresh() throws Exception {
    KeyedDoFnHarness<String, Sequenced<Bar>, KV<String, Sequenced<BarDecision>>> h = signals();
    for (Sequenced<Bar> b : numbered(bars(10, 10, 10, 12), 100)) {
      h.process(b, b.value().getWindowEnd());
    }
    assertEquals(1, h.values(DetectSignals.SIGNALS).size(), "a BUY on the 4th bar");
    // Back after the TTL (the expiry timer not fired yet): a new generation, far later numbers.
    List<Sequenced<Bar>> later = numbered(barsFrom(7200, 10, 9, 8, 7), 100_000);
    for (Sequenced<Bar> b : later) {
      h.process(b, b.value().getWindowEnd());
    }
    assertEquals(
        1,
        h.values(DetectSignals.SIGNALS).size(),
        "no SELL: the old closes are gone, and 4 new bars give one pair of means only");
  }

  @Test
  void trackPositionsForgetsAPositionOfASilentSymbolAndLeavesNoState() throws Exception {
    KeyedDoFnHarness<String, Sequenced<BarDecision>, io.tickstream.pipeline.model.Position> h =
        positions();
    List<Sequenced<BarDecision>> decisions = decisions(100, "BUY", null, null);
    // The mark arrives before the opening decision: the position opens first all the same.
    h.process(decisions.get(1), at(120));
    h.process(decisions.get(0), at(60));
    h.process(decisions.get(2), at(180));
    assertEquals(3, h.values(TrackPositions.POSITIONS).size(), "open, then two marks");
    List<KV<String, Sequenced<PositionChange>>> changes = h.values(TrackPositions.CHANGES);
    assertEquals(3, changes.size());
    assertTrue(changes.get(0).getValue().startsGeneration(), "the first change starts");
    assertEquals(100, changes.get(0).getValue().seq(), "at the first decision's number");
    assertEquals(101, changes.get(1).getValue().seq());

    h.advanceWatermarkTo(at(180 + 3600 + 1));
    assertTrue(h.hasNoState(), "the open position, numbers and order buffer are gone");
    assertFalse(h.hasTimers());

    // Back later: a SELL of the forgotten position closes nothing.
    for (Sequenced<BarDecision> d : decisions(100_000, "SELL", "BUY")) {
      h.process(d, d.value().getBar().getWindowEnd());
    }
    assertEquals(List.of(), h.values(TrackPositions.TRADES), "nothing to close: no trade");
    List<KV<String, Sequenced<PositionChange>>> after = h.values(TrackPositions.CHANGES);
    Sequenced<PositionChange> reopened = after.get(after.size() - 1).getValue();
    assertTrue(reopened.startsGeneration(), "the table's numbering starts afresh too");
    assertEquals(100_001, reopened.seq());
  }

  @Test
  void aChangeAStateTtlAfterThePreviousOneStartsANewGeneration() throws Exception {
    KeyedDoFnHarness<String, Sequenced<BarDecision>, io.tickstream.pipeline.model.Position> h =
        positions();
    // Opens at minute 1, sells at minute 2; flat for two hours; then buys again.
    for (Sequenced<BarDecision> d : decisions(100, "BUY", "SELL")) {
      h.process(d, d.value().getBar().getWindowEnd());
    }
    Bar later = bar(7200, 10);
    h.process(
        Sequenced.of(102, false, BarDecision.create(later, buy(later.getWindowEnd()))),
        later.getWindowEnd());

    assertEquals(1, h.values(TrackPositions.TRADES).size());
    List<KV<String, Sequenced<PositionChange>>> changes = h.values(TrackPositions.CHANGES);
    assertEquals(3, changes.size(), "open, close, open");
    assertNull(changes.get(1).getValue().value().getPosition(), "the second is the close");
    assertFalse(changes.get(1).getValue().startsGeneration());
    assertTrue(
        changes.get(2).getValue().startsGeneration(),
        "two hours after the last change the table step may have forgotten the symbol");
    assertEquals(102, changes.get(2).getValue().seq());
  }

  private static KeyedDoFnHarness<String, Sequenced<Bar>, KV<String, Sequenced<BarDecision>>>
      signals() {
    return new KeyedDoFnHarness<>(
        new DetectSignals.SignalFn(
            STRATEGY, StateTtl.of(TTL), Sequenced.SequencedCoder.of(coder(Bar.class))),
        "ABC",
        DetectSignals.DECISIONS,
        List.of(DetectSignals.SIGNALS));
  }

  private static KeyedDoFnHarness<
          String, Sequenced<BarDecision>, io.tickstream.pipeline.model.Position>
      positions() {
    return new KeyedDoFnHarness<>(
        new TrackPositions.PositionFn(
            STRATEGY,
            StateTtl.of(TTL),
            Sequenced.SequencedCoder.of(coder(BarDecision.class)),
            coder(OpenPosition.class)),
        "ABC",
        TrackPositions.POSITIONS,
        List.of(TrackPositions.TRADES, TrackPositions.CHANGES));
  }

  /** Decisions from number {@code first} on, one a minute from minute 1, with these sides. */
  private static List<Sequenced<BarDecision>> decisions(long first, String... sides) {
    List<Sequenced<BarDecision>> out = new ArrayList<>();
    long base = first >= 100_000 ? 7200 : 0;
    for (int i = 0; i < sides.length; i++) {
      long end = base + 60L * (i + 1);
      Bar bar = bar(end - 60, 10 + i);
      Signal signal =
          sides[i] == null
              ? null
              : Signal.create(
                  "ABC", bar.getWindowEnd(), sides[i], bar.getClose(), 1, 1, STRATEGY.name());
      out.add(Sequenced.of(first + i, i == 0, BarDecision.create(bar, signal)));
    }
    return out;
  }

  private static Signal buy(Instant ts) {
    return Signal.create("ABC", ts, Signal.BUY, 10, 1, 1, STRATEGY.name());
  }

  /** Bars of these closes, one a minute from minute 0. */
  private static List<Bar> bars(double... closes) {
    return barsFrom(0, closes);
  }

  private static List<Bar> barsFrom(long startSecond, double... closes) {
    List<Bar> out = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      out.add(bar(startSecond + 60L * i, closes[i]));
    }
    return out;
  }

  private static Bar bar(long startSecond, double close) {
    return Bar.create(
        "ABC", at(startSecond), at(startSecond + 60), close, close, close, close, 1, close, 1);
  }

  /** Bars numbered from {@code first}, the first starting a generation. */
  private static List<Sequenced<Bar>> numbered(List<Bar> bars, long first) {
    List<Sequenced<Bar>> out = new ArrayList<>();
    for (int i = 0; i < bars.size(); i++) {
      out.add(Sequenced.of(first + i, i == 0, bars.get(i)));
    }
    return out;
  }

  private static Tick tick(String id, long second, double price) {
    return Tick.create(id, "ABC", price, 100, at(second), null, null);
  }

  private static Instant at(long second) {
    return new Instant(second * 1000);
  }

  private static <T> org.apache.beam.sdk.coders.Coder<T> coder(Class<T> type) {
    try {
      return SCHEMAS.getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }
}
