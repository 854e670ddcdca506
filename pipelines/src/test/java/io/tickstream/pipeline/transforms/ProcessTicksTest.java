package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.Position;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Known-answer and event-time tests of the whole computation on DirectRunner. Times are seconds
 * after {@code new Instant(0)}; minute m is [60m, 60m + 60).
 */
public class ProcessTicksTest {
  private static final StrategyConfig STRATEGY = new StrategyConfig(2, 3, 10_000, 10);
  private static final Duration OOO = Duration.ofSeconds(30);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private int line;

  /**
   * Closes by minute: 10, 10, 10, 12, 9, 6 (fast = 2 closes, slow = 3).
   *
   * <pre>
   * bar  closes(last 3)   fast   slow     signal
   * 2    10 10 10         10     10       - (first with both means; no previous)
   * 3    10 10 12         11     10.667   BUY  (10 <= 10 and 11 > 10.667) at 12, ts 240s
   * 4    10 12 9          10.5   10.333   -    (still above)
   * 5    12 9 6           7.5    9        SELL (10.5 >= 10.333 and 7.5 < 9) at 6, ts 360s
   * </pre>
   *
   * qty = floor(10000 / 12) = 833; fees = (12 + 6) x 833 x 10 / 10^4 = 14.994; pnl = (6 - 12) x 833
   * - 14.994 = -5012.994; return = pnl / (12 x 833) x 100.
   */
  private static List<Tick> knownTicks() {
    return List.of(
        tick("ABC-0", 0, 10, 100),
        tick("ABC-1", 30, 10, 300),
        // minute 1: a tie at 60s broken by event id (ABC-2 < ABC-3): open 9, high 11, close 10
        tick("ABC-2", 60, 9, 100),
        tick("ABC-3", 60, 11, 100),
        tick("ABC-4", 119, 10, 200),
        tick("ABC-5", 150, 10, 100),
        // minute 3: open 11, high 13, low 11, close 12, volume 400, vwap (1100+1300+2400)/400 = 12
        tick("ABC-6", 180, 11, 100),
        tick("ABC-7", 200, 13, 100),
        tick("ABC-8", 230, 12, 200),
        // minute 4: no volume, so vwap is the mean price 8.5
        tick("ABC-9", 250, 8, 0),
        tick("ABC-10", 290, 9, 0),
        tick("ABC-11", 330, 6, 50));
  }

  private static List<Bar> knownBars() {
    return List.of(
        bar(0, 10, 10, 10, 10, 400, 10, 2),
        bar(1, 9, 11, 9, 10, 400, (900 + 1100 + 2000) / 400.0, 3),
        bar(2, 10, 10, 10, 10, 100, 10, 1),
        bar(3, 11, 13, 11, 12, 400, 12, 3),
        bar(4, 8, 9, 8, 9, 0, 8.5, 2),
        bar(5, 6, 6, 6, 6, 50, 6, 1));
  }

  @Test
  public void knownAnswerBarsSignalsPositionsAndTrades() {
    PCollectionTuple out = run(inOrder(knownTicks()));

    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(knownBars());
    PAssert.that(out.get(ProcessTicks.SIGNALS))
        .containsInAnyOrder(
            Signal.create("ABC", at(240), Signal.BUY, 12, 11, 32 / 3.0, "sma_2_3"),
            Signal.create("ABC", at(360), Signal.SELL, 6, 7.5, 9, "sma_2_3"));
    double pnl = (6 - 12) * 833 - 14.994;
    PAssert.that(out.get(ProcessTicks.TRADES))
        .containsInAnyOrder(
            Trade.create(
                "ABC-240000",
                "ABC",
                "sma_2_3",
                833,
                at(240),
                12,
                at(360),
                6,
                pnl,
                pnl / (12 * 833) * 100,
                120));
    PAssert.that(out.get(ProcessTicks.POSITIONS))
        .containsInAnyOrder(
            Position.create("ABC", "sma_2_3", 833, at(240), 12, 12, 0, at(240)),
            Position.create("ABC", "sma_2_3", 833, at(240), 12, 9, -2499, at(300)));
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(knownTicks());
    PAssert.that(out.get(ProcessTicks.DEAD_LETTERS)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void outOfOrderWithinTheBoundGivesTheSameBars() {
    List<Tick> shuffled = new ArrayList<>(knownTicks());
    // Swap neighbours at most 30 s apart: within the 30 s bound (a tie at 60 s swapped too).
    java.util.Collections.swap(shuffled, 0, 1);
    java.util.Collections.swap(shuffled, 2, 3);
    java.util.Collections.swap(shuffled, 6, 7);
    PCollectionTuple out = run(inOrder(shuffled));
    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(knownBars());
    PAssert.that(out.get(ProcessTicks.SIGNALS)).satisfies(s -> assertCount(s, 2));
    p.run().waitUntilFinish();
  }

  @Test
  public void lateTicksAreKeptInTicksButNotInBars() {
    Tick late = tick("ABC-99", 59, 1000, 1_000_000); // minute 0, arrives after 150s was seen
    TestStream<RawRecord> stream =
        events()
            // One element a step: the order in which a symbol's ticks arrive is the point here, and
            // a runner may reorder the elements of one step.
            .addElements(raw(knownTicks().get(0), 0))
            .addElements(raw(knownTicks().get(1), 30))
            .addElements(raw(knownTicks().get(2), 60))
            .addElements(raw(knownTicks().get(3), 60))
            .addElements(raw(knownTicks().get(4), 119))
            .addElements(raw(knownTicks().get(5), 150))
            // 150 - 30 = 120 > 59: behind the symbol's clock, so late even though the watermark
            // lags.
            .addElements(raw(late, 150))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = run(stream);
    PAssert.that(out.get(ProcessTicks.BARS))
        .containsInAnyOrder(knownBars().get(0), knownBars().get(1), knownBars().get(2));
    List<Tick> expectedTicks = new ArrayList<>(knownTicks().subList(0, 6));
    expectedTicks.add(late);
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(expectedTicks);
    p.run().waitUntilFinish();
  }

  /**
   * One step holding every tick, a resend and a late tick: the keyed step gets them as one batch
   * per symbol and must treat each as if it came alone, in arrival order (the late tick follows the
   * tick that moved the clock past it, the resend follows its original).
   */
  @Test
  public void aBundleOfTicksGivesWhatTicksOneByOneGive() {
    Tick late = tick("ABC-99", 59, 1000, 1_000_000);
    List<TimestampedValue<RawRecord>> all = new ArrayList<>();
    for (Tick t : knownTicks()) {
      all.add(raw(t, t.timestampMillis() / 1000));
      if (t.getEventId().equals("ABC-3")) {
        all.add(raw(t, 60));
      }
      if (t.getEventId().equals("ABC-5")) {
        all.add(raw(late, 150));
      }
    }
    TestStream<RawRecord> stream =
        events()
            .addElements(all.get(0), all.subList(1, all.size()).toArray(new TimestampedValue[0]))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = run(stream);
    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(knownBars());
    PAssert.that(out.get(ProcessTicks.SIGNALS)).satisfies(s -> assertCount(s, 2));
    PAssert.that(out.get(ProcessTicks.TRADES)).satisfies(t -> assertCount(t, 1));
    List<Tick> expectedTicks = new ArrayList<>(knownTicks());
    expectedTicks.add(late);
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(expectedTicks);
    p.run().waitUntilFinish();
  }

  @Test
  public void lateBehindTheWatermarkIsLateToo() {
    Tick late = tick("ABC-98", 10, 1000, 1);
    TestStream<RawRecord> stream =
        events()
            .addElements(raw(knownTicks().get(0), 0))
            .addElements(raw(knownTicks().get(1), 30))
            // the watermark passes minute 0 with no further tick of ABC: the timer finalizes it
            .advanceWatermarkTo(at(61))
            .addElements(raw(late, 61))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = run(stream);
    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(knownBars().get(0));
    PAssert.that(ProcessTicks.ticksOf(out))
        .containsInAnyOrder(knownTicks().get(0), knownTicks().get(1), late);
    p.run().waitUntilFinish();
  }

  @Test
  public void duplicatesAreDroppedOnce() {
    List<Tick> ticks = knownTicks();
    TestStream.Builder<RawRecord> b = events();
    for (Tick t : ticks) {
      b = b.addElements(raw(t, t.timestampMillis() / 1000));
    }
    // resend three ticks unchanged, one of them twice
    b =
        b.addElements(raw(ticks.get(3), 330))
            .addElements(raw(ticks.get(8), 330))
            .addElements(raw(ticks.get(8), 330));
    PCollectionTuple out = run(b.advanceWatermarkToInfinity());
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(ticks);
    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(knownBars());
    p.run().waitUntilFinish();
  }

  /**
   * The dedup window is 10 min, filed in buckets of 2.5 min: ABC-1 (t = 0) is in the bucket [0, 150
   * s), forgotten once the watermark passes 150 + 600 = 750 s; ABC-2 (t = 700 s) is remembered
   * until 1350 s. So after the watermark reaches 800 s a resend of ABC-1 is new again (and late),
   * while a resend of ABC-2 is still dropped.
   */
  @Test
  public void idsAreForgottenOnlyAfterTheDedupWindow() {
    Tick first = tick("ABC-1", 0, 10, 100);
    Tick second = tick("ABC-2", 700, 11, 100);
    TestStream<RawRecord> stream =
        events()
            .addElements(raw(first, 0))
            .addElements(raw(second, 700))
            .addElements(raw(second, 700))
            .advanceWatermarkTo(at(800))
            .addElements(raw(first, 800))
            .addElements(raw(second, 800))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = run(stream);
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(first, second, first);
    p.run().waitUntilFinish();
  }

  @Test
  public void malformedRecordsGoToDeadLetterWithTheirCodes() {
    List<String> bad =
        List.of(
            "{\"event_id\":\"X-1\",\"symbol\":\"ABC\"",
            "[1,2]",
            "{\"event_id\":\"X-2\",\"symbol\":\"ABC\",\"volume\":1,\"timestamp\":\"1970-01-01T00:00:01Z\"}",
            "{\"event_id\":\"X-3\",\"symbol\":\"ABC\",\"price\":\"10\",\"volume\":1,\"timestamp\":\"1970-01-01T00:00:01Z\"}",
            "{\"event_id\":\"X-4\",\"symbol\":\"abc\",\"price\":10,\"volume\":1,\"timestamp\":\"1970-01-01T00:00:01Z\"}",
            "{\"event_id\":\"X-5\",\"symbol\":\"ABC\",\"price\":-1,\"volume\":1,\"timestamp\":\"1970-01-01T00:00:01Z\"}",
            "{\"event_id\":\"X-6\",\"symbol\":\"ABC\",\"price\":NaN,\"volume\":1,\"timestamp\":\"1970-01-01T00:00:01Z\"}",
            "{\"event_id\":\"X-7\",\"symbol\":\"ABC\",\"price\":10,\"volume\":1,\"timestamp\":\"01/01/1970"
                + " 00:00\"}");
    TestStream.Builder<RawRecord> b = events();
    for (Tick t : knownTicks()) {
      b = b.addElements(raw(t, t.timestampMillis() / 1000));
    }
    for (String s : bad) {
      b = b.addElements(TimestampedValue.of(record(s.getBytes(StandardCharsets.UTF_8)), at(5)));
    }
    byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28, '{', '}'};
    b = b.addElements(TimestampedValue.of(record(notUtf8), at(5)));
    PCollectionTuple out = run(b.advanceWatermarkToInfinity());

    PCollection<String> codes =
        out.get(ProcessTicks.DEAD_LETTERS)
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via((DeadLetter d) -> d.getErrorCode()));
    PAssert.that(codes)
        .containsInAnyOrder(
            "MALFORMED_JSON",
            "NOT_AN_OBJECT",
            "MISSING_FIELD",
            "BAD_TYPE",
            "BAD_SYMBOL",
            "NON_POSITIVE_PRICE",
            "NON_FINITE_PRICE",
            "BAD_TIMESTAMP",
            "NOT_UTF8");
    PAssert.that(out.get(ProcessTicks.DEAD_LETTERS))
        .satisfies(
            letters -> {
              for (DeadLetter d : letters) {
                if (d.getErrorCode().equals("NOT_UTF8")) {
                  assertEquals("base64", d.getPayloadEncoding());
                  assertEquals(
                      java.util.Base64.getEncoder().encodeToString(notUtf8), d.getPayload());
                } else {
                  assertEquals("utf8", d.getPayloadEncoding());
                  assertTrue(bad.contains(d.getPayload()), d.getPayload());
                }
                assertEquals("test", d.getSource());
                assertEquals(ParseTicks.STEP, d.getStep());
                assertTrue(d.getPosition().startsWith("line="), d.getPosition());
              }
              return null;
            });
    // Conservation: every record is a tick or a dead letter.
    PAssert.that(ProcessTicks.ticksOf(out)).containsInAnyOrder(knownTicks());
    PAssert.that(out.get(ProcessTicks.BARS)).containsInAnyOrder(knownBars());
    p.run().waitUntilFinish();
  }

  /**
   * The first four minutes of the known answer (a BUY at minute 3's close, 12), then, after a gap,
   * closes of 11, 9 and 8: with the history kept they give a SELL at 9 and a trade; after a gap
   * longer than the state TTL the symbol starts afresh, its averages refill, the open position is
   * forgotten, and no SELL and no trade follow.
   */
  @Test
  public void aSymbolSilentForTheStateTtlStartsAfresh() {
    PCollectionTuple afterTtl = runWithTtl("AfterTtl", 2 * 3600);
    PAssert.that(afterTtl.get(ProcessTicks.SIGNALS)).containsInAnyOrder(new Signal[] {buyAt240()});
    PAssert.that(afterTtl.get(ProcessTicks.TRADES)).empty();
    PAssert.that(afterTtl.get(ProcessTicks.POSITIONS))
        .containsInAnyOrder(Position.create("ABC", "sma_2_3", 833, at(240), 12, 12, 0, at(240)));

    PCollectionTuple withinTtl = runWithTtl("WithinTtl", 30 * 60);
    PAssert.that(withinTtl.get(ProcessTicks.SIGNALS)).satisfies(s -> assertCount(s, 2));
    PAssert.that(withinTtl.get(ProcessTicks.TRADES)).satisfies(t -> assertCount(t, 1));
    p.run().waitUntilFinish();
  }

  private PCollectionTuple runWithTtl(String name, long gapSeconds) {
    TestStream.Builder<RawRecord> b = events();
    for (Tick t : knownTicks().subList(0, 9)) {
      b = b.addElements(raw(t, t.timestampMillis() / 1000));
    }
    // As other symbols' ticks would: the watermark passes minute 3, which is finalized at once.
    b = b.advanceWatermarkTo(at(300));
    long resume = 240 + gapSeconds;
    double[] closes = {11, 9, 8};
    for (int i = 0; i < closes.length; i++) {
      Tick t = tick("ABC-" + (100 + i), resume + 60L * i, closes[i], 100);
      b = b.addElements(raw(t, t.timestampMillis() / 1000));
    }
    try {
      return p.apply(name, b.advanceWatermarkToInfinity())
          .setCoder(p.getSchemaRegistry().getSchemaCoder(RawRecord.class))
          .apply(
              name + "Process",
              ProcessTicks.of(Duration.ofMinutes(10), OOO, STRATEGY)
                  .withStateTtl(Duration.ofHours(1)));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Signal buyAt240() {
    return Signal.create("ABC", at(240), Signal.BUY, 12, 11, 32 / 3.0, "sma_2_3");
  }

  private PCollectionTuple run(TestStream<RawRecord> stream) {
    try {
      return p.apply(stream.getClass().getSimpleName(), stream)
          .setCoder(p.getSchemaRegistry().getSchemaCoder(RawRecord.class))
          .apply(ProcessTicks.of(Duration.ofMinutes(10), OOO, STRATEGY));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private TestStream<RawRecord> inOrder(List<Tick> ticks) {
    TestStream.Builder<RawRecord> b = events();
    for (Tick t : ticks) {
      b = b.addElements(raw(t, t.timestampMillis() / 1000));
    }
    return b.advanceWatermarkToInfinity();
  }

  /**
   * The state TTL is checked against the dedup window and the max out-of-orderness when the
   * transform is applied, so a long dedup window with a longer TTL is fine in either order.
   */
  @Test
  public void theStateTtlIsCheckedWhenAppliedWhateverTheOrderOfSettings() {
    PCollection<RawRecord> raw = p.apply(events().advanceWatermarkToInfinity());
    raw.apply(
        "LongDedupWindow",
        ProcessTicks.of(Duration.ofDays(2), OOO, STRATEGY).withStateTtl(Duration.ofDays(3)));
    raw.apply(
        "LongOutOfOrderness",
        ProcessTicks.of(Duration.ofMinutes(10), Duration.ofDays(1), STRATEGY)
            .withStateTtl(Duration.ofDays(2)));
    p.run();

    PCollection<RawRecord> other =
        org.apache.beam.sdk.Pipeline.create().apply(events().advanceWatermarkToInfinity());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                other.apply(
                    "ShortTtl",
                    ProcessTicks.of(Duration.ofMinutes(10), OOO, STRATEGY)
                        .withStateTtl(Duration.ofMinutes(10))));
    assertTrue(e.getMessage().contains("must be longer than the dedup window"), e.getMessage());
  }

  private TestStream.Builder<RawRecord> events() {
    try {
      return TestStream.create(p.getSchemaRegistry().getSchemaCoder(RawRecord.class))
          .advanceWatermarkTo(new Instant(0));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private TimestampedValue<RawRecord> raw(Tick t, long arrivalSecond) {
    return TimestampedValue.of(
        record(TickJson.toJson(t).getBytes(StandardCharsets.UTF_8)), at(arrivalSecond));
  }

  private RawRecord record(byte[] payload) {
    return RawRecord.create("test", "line=" + (++line), payload);
  }

  private static Tick tick(String id, long second, double price, long volume) {
    return Tick.create(id, "ABC", price, volume, at(second), null, null);
  }

  private static Bar bar(
      int minute, double o, double h, double l, double c, long v, double vwap, long n) {
    return Bar.create("ABC", at(60L * minute), at(60L * minute + 60), o, h, l, c, v, vwap, n);
  }

  private static Instant at(long second) {
    return new Instant(second * 1000);
  }

  private static Void assertCount(Iterable<?> items, int expected) {
    List<Object> list = new ArrayList<>();
    items.forEach(list::add);
    assertEquals(expected, list.size(), String.valueOf(list));
    return null;
  }

  private static void assertEquals(Object expected, Object actual) {
    org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
  }

  private static void assertEquals(Object expected, Object actual, String message) {
    org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
  }

  private static void assertTrue(boolean condition, String message) {
    org.junit.jupiter.api.Assertions.assertTrue(condition, message);
  }
}
