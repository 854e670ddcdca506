package io.tickstream.pipeline.io;

import io.tickstream.generator.sink.TickSink;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.transforms.ProcessTicks;
import io.tickstream.pipeline.transforms.StrategyConfig;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * What the source ITs publish and the answers they expect: three symbols, four minutes of four
 * ticks each, three bad lines at known places and one resent tick.
 *
 * <p>Prices are multiples of 0.25 and volumes whole hundreds, so every sum a bar makes is exact in
 * binary and the expected bars do not depend on the order ticks are added in.
 */
final class SourceTestData {
  static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
  static final List<String> SYMBOLS = List.of("AAA", "BBB", "CCC");
  static final int MINUTES = 4;
  static final int TICKS_PER_MINUTE = 4;

  static final StrategyConfig STRATEGY = new StrategyConfig(2, 3, 10_000, 10);

  /** Sent first, keyed AAA: nothing readable precedes it, so it takes its source's own time. */
  static final String UNPARSEABLE = "not json at all";

  /** Sent right after AAA's tick at 75 s: it takes that tick's event time. */
  static final String MISSING_TIMESTAMP =
      "{\"event_id\":\"BAD-1\",\"symbol\":\"AAA\",\"price\":10,\"volume\":1}";

  static final long MISSING_TIMESTAMP_AFTER_SECOND = 75;

  /** Keyed BBB; carries its own readable timestamp, 151 s. */
  static final String NEGATIVE_PRICE =
      "{\"event_id\":\"BAD-2\",\"symbol\":\"BBB\",\"price\":-5,\"volume\":1,\"timestamp\":\""
          + at(151)
          + "\"}";

  /**
   * Event seconds of the streaming ITs' ticks, all of one symbol: minute 0 gets 6, minute 1 gets 7,
   * the last just before the minute's end so that little idle advance is needed to close it.
   */
  static final long[] IDLE_SECONDS = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 119};

  /** Every bad line with the error code ParseTicks gives it. */
  static final Map<String, String> BAD_LINES =
      Map.of(
          UNPARSEABLE, "MALFORMED_JSON",
          MISSING_TIMESTAMP, "MISSING_FIELD",
          NEGATIVE_PRICE, "NON_POSITIVE_PRICE");

  private SourceTestData() {}

  /**
   * The ticks in event-time order: symbol i at second 60m + 15k has price 100 + 10i + m + 0.25k and
   * volume 100(k + 1).
   */
  static List<Tick> ticks() {
    List<Tick> ticks = new ArrayList<>();
    for (int m = 0; m < MINUTES; m++) {
      for (int k = 0; k < TICKS_PER_MINUTE; k++) {
        for (int i = 0; i < SYMBOLS.size(); i++) {
          String symbol = SYMBOLS.get(i);
          ticks.add(
              Tick.create(
                  symbol + "-" + (m * TICKS_PER_MINUTE + k),
                  symbol,
                  100 + 10 * i + m + 0.25 * k,
                  100L * (k + 1),
                  at(60L * m + 15L * k),
                  null,
                  null));
        }
      }
    }
    return ticks;
  }

  /** The records to publish, as (key, line), in publishing order. */
  static List<String[]> lines() {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"AAA", UNPARSEABLE});
    List<Tick> ticks = ticks();
    for (Tick t : ticks) {
      lines.add(new String[] {t.getSymbol(), TickJson.toJson(t)});
      if (t.getSymbol().equals("AAA")
          && t.getTimestamp().equals(at(MISSING_TIMESTAMP_AFTER_SECOND))) {
        lines.add(new String[] {"AAA", MISSING_TIMESTAMP});
      }
      if (t.getSymbol().equals("BBB") && t.getTimestamp().equals(at(150))) {
        lines.add(new String[] {"BBB", NEGATIVE_PRICE});
      }
    }
    // A resend, as an at-least-once producer makes after a retry: deduplicated downstream.
    Tick resent = ticks.get(2);
    lines.add(new String[] {resent.getSymbol(), TickJson.toJson(resent)});
    return lines;
  }

  /** Sends {@link #lines()} and flushes. */
  static int publish(TickSink sink) throws IOException {
    List<String[]> lines = lines();
    for (String[] line : lines) {
      sink.send(line[0], 0, line[1]);
    }
    sink.flush();
    return lines.size();
  }

  /** One-minute bars of {@link #ticks()}, computed here independently of the pipeline. */
  static List<Bar> expectedBars() {
    Map<String, List<Tick>> byBar = new LinkedHashMap<>();
    for (Tick t : ticks()) {
      long start = Math.floorDiv(t.timestampMillis(), 60_000L) * 60_000L;
      byBar.computeIfAbsent(t.getSymbol() + "@" + start, x -> new ArrayList<>()).add(t);
    }
    List<Bar> bars = new ArrayList<>();
    for (List<Tick> minute : byBar.values()) {
      // ticks() lists each minute in time order, one tick per timestamp and symbol
      Tick first = minute.get(0);
      Tick last = minute.get(minute.size() - 1);
      double high = Double.NEGATIVE_INFINITY;
      double low = Double.POSITIVE_INFINITY;
      long volume = 0;
      double priceVolume = 0;
      for (Tick t : minute) {
        high = Math.max(high, t.getPrice());
        low = Math.min(low, t.getPrice());
        volume += t.getVolume();
        priceVolume += t.getPrice() * t.getVolume();
      }
      Instant start = new Instant(Math.floorDiv(first.timestampMillis(), 60_000L) * 60_000L);
      bars.add(
          Bar.create(
              first.getSymbol(),
              start,
              start.plus(Duration.standardMinutes(1)),
              first.getPrice(),
              high,
              low,
              last.getPrice(),
              volume,
              priceVolume / volume,
              minute.size()));
    }
    return bars;
  }

  /**
   * The computation under test. The out-of-orderness bound is longer than the data's four minutes
   * on purpose: the direct runner reorders elements between stateful steps (keys are processed in
   * parallel), and a source read of old data delivers minutes of event time at once, so with a
   * shorter bound which ticks count as late would depend on thread timing. With this bound none is,
   * and the expected bars are exact.
   */
  static ProcessTicks processTicks() {
    return ProcessTicks.of(
        java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(10), STRATEGY);
  }

  /** A dead letter as the fields the ITs check: everything but the wall-clock receive time. */
  static String describe(DeadLetter d) {
    return String.join(
        " | ",
        d.getErrorCode(),
        d.getSource(),
        d.getPosition(),
        d.getEventTime().toString(),
        d.getPayload(),
        d.getStep());
  }

  static String describe(
      String code, String source, String position, Instant eventTime, String payload) {
    return String.join(" | ", code, source, position, eventTime.toString(), payload, "ParseTicks");
  }

  /** A tick of symbol IDL at {@code second}. */
  static String idleTick(long second) {
    return "{\"event_id\":\"IDL-"
        + second
        + "\",\"symbol\":\"IDL\",\"price\":10,\"volume\":1,\"timestamp\":\""
        + at(second)
        + "\"}";
  }

  static Instant at(long second) {
    return T0.plus(Duration.standardSeconds(second));
  }

  /**
   * Counts records per one-minute event-time window and publishes each pane, as {@code "START COUNT
   * TIMING"}, into {@link #panes}{@code (id)}: how a streaming IT observes, from outside the
   * running pipeline, that the watermark has passed a window.
   */
  static final class CountPanesPerMinute extends PTransform<PCollection<RawRecord>, PDone> {
    private final String id;

    CountPanesPerMinute(String id) {
      this.id = id;
      PANES.put(id, new ConcurrentLinkedQueue<>());
    }

    @Override
    public PDone expand(PCollection<RawRecord> records) {
      records
          .apply("Minutes", Window.<RawRecord>into(FixedWindows.of(Duration.standardMinutes(1))))
          .apply("Count", Combine.globally(Count.<RawRecord>combineFn()).withoutDefaults())
          .apply("Publish", ParDo.of(new PublishFn(id)));
      return PDone.in(records.getPipeline());
    }
  }

  /**
   * Counts all records, bounded or not: a streaming read that ends does close the global window,
   * but Beam wants the trigger that says so spelled out for unbounded input.
   */
  static final class CountAll extends PTransform<PCollection<RawRecord>, PCollection<Long>> {
    @Override
    public PCollection<Long> expand(PCollection<RawRecord> records) {
      return records
          .apply(
              "AtEnd",
              Window.<RawRecord>configure()
                  .triggering(AfterWatermark.pastEndOfWindow())
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes())
          .apply("Count", Count.globally());
    }
  }

  private static final Map<String, Queue<String>> PANES = new ConcurrentHashMap<>();

  /** The panes published so far under {@code id}, in window order. */
  static List<String> panes(String id) {
    // By window: two windows that close on one watermark advance fire in either order.
    List<String> panes = new ArrayList<>(PANES.get(id));
    java.util.Collections.sort(panes);
    return panes;
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
  static boolean await(BooleanSupplier condition, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static final class PublishFn extends DoFn<Long, Void> {
    private final String id;

    PublishFn(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element Long count, BoundedWindow window, PaneInfo pane) {
      PANES.get(id).add(((IntervalWindow) window).start() + " " + count + " " + pane.getTiming());
    }
  }
}
