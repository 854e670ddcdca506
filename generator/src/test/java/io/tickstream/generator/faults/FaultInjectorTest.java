package io.tickstream.generator.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.BoundedSource;
import io.tickstream.generator.TickSource;
import io.tickstream.generator.market.MarketSimulator;
import io.tickstream.generator.market.Universe;
import io.tickstream.tick.InvalidTickException;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import io.tickstream.tick.TickParser;
import io.tickstream.tick.TickTimestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault injector against its definition: each tick gets a release time (event time plus a
 * uniform delay up to {@code maxDisorder}, or plus {@code lateBy} when late) and is emitted once
 * the source has produced a tick at or after it; broken records replace their tick; duplicates are
 * exact resends of recent records.
 */
class FaultInjectorTest {
  private static final long START = TickTimestamps.parseMillis("2025-01-02T14:30:00Z");
  private static final int TICKS = 100_000;
  private static final double RATE = 0.05;
  private static final Duration MAX_DISORDER = Duration.ofSeconds(10);
  private static final Duration LATE_BY = Duration.ofMinutes(5);

  /** 20 symbols at 60 ticks a minute each: one tick every 50 ms of event time. */
  private static final long TICK_SPACING_MILLIS = 50;

  @Test
  void faultRatesAreWithinFiveSigmaOfTheConfiguredOnes() {
    Run run = run(new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY), 11);

    long bad = run.originals().stream().filter(o -> o.emission.badKind() != null).count();
    long dups = run.emitted.stream().filter(o -> o.emission.duplicate()).count();
    long late = run.originals().stream().filter(o -> o.emission.late()).count();
    assertRate("bad", bad, TICKS, RATE);
    assertRate("duplicate", dups, TICKS, RATE);
    assertRate("late", late, TICKS, RATE);

    Map<BadRecordKind, Long> byKind = new EnumMap<>(BadRecordKind.class);
    run.originals().stream()
        .filter(o -> o.emission.badKind() != null)
        .forEach(o -> byKind.merge(o.emission.badKind(), 1L, Long::sum));
    for (BadRecordKind kind : BadRecordKind.values()) {
      assertRate(
          "bad " + kind, byKind.getOrDefault(kind, 0L), bad, 1.0 / BadRecordKind.values().length);
    }

    FaultCounts counts = run.injector.counts();
    assertEquals(TICKS, counts.ticks());
    assertEquals(run.emitted.size(), counts.records());
    assertEquals(bad, counts.bad());
    assertEquals(byKind, counts.badByKind());
    assertEquals(dups, counts.duplicates());
    assertEquals(late, counts.late());
  }

  @Test
  void everyBadRecordFailsToParseWithItsKindsExpectedCode() {
    Run run = run(new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY), 12);

    int bad = 0;
    for (Observed o : run.emitted) {
      Emission e = o.emission;
      if (e.badKind() == null) {
        Tick t = assertParses(e.line());
        assertEquals(e.eventId(), t.getEventId());
        assertEquals(e.key(), t.getSymbol());
        assertEquals(e.eventTimeMillis(), t.timestampMillis());
        continue;
      }
      bad++;
      InvalidTickException x =
          assertThrows(InvalidTickException.class, () -> TickParser.parse(e.line()), e::line);
      assertEquals(e.badKind().expectedCode(), x.code(), () -> e.line() + ": " + x.getMessage());
      if (e.badKind() != BadRecordKind.MALFORMED_JSON) {
        assertTrue(e.line().contains("\"event_id\":\"" + e.eventId() + "\""), e::line);
      }
    }
    assertTrue(bad > 4000, "bad records seen: " + bad);
  }

  @Test
  void everyDuplicateIsAnExactResendOfARecentRecord() {
    Run run = run(new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY), 13);

    List<Emission> originals = new ArrayList<>();
    int dups = 0;
    for (Observed o : run.emitted) {
      Emission e = o.emission;
      if (!e.duplicate()) {
        originals.add(e);
        continue;
      }
      dups++;
      // The record just emitted and the 16 before it are the recent ones.
      List<Emission> recent =
          originals.subList(Math.max(0, originals.size() - 17), originals.size());
      Emission original =
          recent.stream().filter(r -> r.line().equals(e.line())).findFirst().orElse(null);
      assertTrue(original != null, () -> "no recent record equals the resend " + e.line());
      assertEquals(
          new Emission(
              original.key(),
              original.eventTimeMillis(),
              original.line(),
              original.eventId(),
              original.badKind(),
              true,
              original.late()),
          e);
    }
    assertTrue(dups > 4000, "duplicates seen: " + dups);
  }

  @Test
  void noRecordComesMoreThanItsDelayAfterALaterOne() {
    Run run = run(new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY), 14);

    long maxBefore = Long.MIN_VALUE;
    long disordered = 0;
    long disorderedNonLate = 0;
    for (Observed o : run.emitted) {
      Emission e = o.emission;
      long behind = maxBefore == Long.MIN_VALUE ? 0 : maxBefore - e.eventTimeMillis();
      if (behind > 0) {
        disordered++;
      }
      if (!e.duplicate()) {
        long allowed = e.late() ? LATE_BY.toMillis() : MAX_DISORDER.toMillis();
        assertTrue(behind <= allowed, () -> behind + " ms behind: " + e);
        if (behind > 0 && !e.late()) {
          disorderedNonLate++;
        }
      }
      maxBefore = Math.max(maxBefore, e.eventTimeMillis());
    }
    assertEquals(disordered, run.injector.counts().disordered());
    assertTrue(disorderedNonLate > TICKS / 4, "disorder occurs: " + disorderedNonLate);
  }

  /**
   * A late tick is released once the source reaches its event time plus lateBy; by then every tick
   * more than maxDisorder (and a tick spacing) older than that release time has gone out.
   */
  @Test
  void lateRecordsGoOutOnlyOnceTheSourceIsLateByAhead() {
    Run run = run(new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY), 15);

    long maxBefore = Long.MIN_VALUE;
    int late = 0;
    int flushedAtEnd = 0;
    for (Observed o : run.emitted) {
      Emission e = o.emission;
      if (e.late() && !e.duplicate()) {
        late++;
        long release = e.eventTimeMillis() + LATE_BY.toMillis();
        if (o.sourceExhausted) {
          flushedAtEnd++;
          assertTrue(o.sourceHighWater < release, "flushed at the end only if never released");
        } else {
          assertTrue(o.sourceHighWater >= release, () -> "released early: " + e);
          long lag = maxBefore - e.eventTimeMillis();
          long minLag = LATE_BY.toMillis() - MAX_DISORDER.toMillis() - 20 * TICK_SPACING_MILLIS;
          assertTrue(lag >= minLag, () -> "only " + lag + " ms behind: " + e);
        }
      }
      maxBefore = Math.max(maxBefore, e.eventTimeMillis());
    }
    assertTrue(late > 4000, "late records: " + late);
    // The last 5 minutes of event time (6,000 ticks) can only be flushed at the end.
    assertTrue(flushedAtEnd > 0 && flushedAtEnd < 600, "flushed at the end: " + flushedAtEnd);
  }

  /**
   * Without disorder, lateness is exact: a late tick goes out between the ticks around its release.
   */
  @Test
  void withoutDisorderALateTickGoesOutExactlyAtItsReleaseTime() {
    long lateBy = 30_000;
    Run run = run(new FaultConfig(0, 0, Duration.ZERO, RATE, Duration.ofMillis(lateBy)), 16);

    List<Emission> emitted = run.emitted.stream().map(o -> o.emission).collect(Collectors.toList());
    int n = emitted.size();
    long[] maxOnTimeBefore = new long[n];
    long[] minOnTimeAfter = new long[n];
    long max = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      maxOnTimeBefore[i] = max;
      if (!emitted.get(i).late()) {
        assertTrue(emitted.get(i).eventTimeMillis() >= max, "on-time ticks stay in order");
        max = emitted.get(i).eventTimeMillis();
      }
    }
    long min = Long.MAX_VALUE;
    for (int i = n - 1; i >= 0; i--) {
      minOnTimeAfter[i] = min;
      if (!emitted.get(i).late()) {
        min = emitted.get(i).eventTimeMillis();
      }
    }
    int late = 0;
    for (int i = 0; i < n; i++) {
      Emission e = emitted.get(i);
      if (e.late()) {
        late++;
        long release = e.eventTimeMillis() + lateBy;
        assertTrue(maxOnTimeBefore[i] < release, "no on-time tick at or after release before it");
        assertTrue(
            minOnTimeAfter[i] >= release || minOnTimeAfter[i] == Long.MAX_VALUE,
            "no on-time tick before release after it");
      }
    }
    assertRate("late", late, TICKS, RATE);
  }

  @Test
  void noTickIsLostOrInvented() {
    Run run = run(new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY), 17);

    List<String> emittedIds =
        run.originals().stream().map(o -> o.emission.eventId()).collect(Collectors.toList());
    Set<String> producedIds =
        run.source.produced.stream().map(t -> t.getEventId()).collect(Collectors.toSet());

    assertEquals(TICKS, run.source.produced.size());
    assertEquals(TICKS, producedIds.size(), "the source's ids are unique");
    assertEquals(TICKS, emittedIds.size(), "one record per tick, duplicates aside");
    assertEquals(producedIds, new HashSet<>(emittedIds));
    assertNull(run.injector.next(), "stays exhausted");
  }

  @Test
  void withoutFaultsRecordsAreTheSourceTicksInOrder() {
    Run run = run(FaultConfig.NONE, 18);

    assertEquals(TICKS, run.emitted.size());
    for (int i = 0; i < TICKS; i++) {
      Tick t = run.source.produced.get(i);
      assertEquals(
          new Emission(
              t.getSymbol(),
              t.timestampMillis(),
              TickJson.toJson(t),
              t.getEventId(),
              null,
              false,
              false),
          run.emitted.get(i).emission);
    }
    FaultCounts c = run.injector.counts();
    assertEquals(
        List.of(0L, 0L, 0L, 0L), List.of(c.bad(), c.duplicates(), c.late(), c.disordered()));
  }

  @Test
  void theSameSeedGivesTheSameRecordsAndAnotherSeedOthers() {
    FaultConfig config = new FaultConfig(RATE, RATE, MAX_DISORDER, RATE, LATE_BY);

    List<Emission> a = emissions(run(config, 21));
    assertEquals(a, emissions(run(config, 21)));
    assertNotEquals(a, emissions(run(config, 22)));
  }

  @ParameterizedTest
  @EnumSource(BadRecordKind.class)
  void eachBrokenFormOfTheSampleTickGetsItsCode(BadRecordKind kind) {
    Tick sample =
        Tick.create(
            "AAPL-1",
            "AAPL",
            150.25,
            1_000_000,
            Instant.parse("2025-06-29T14:36:16.123Z"),
            2.5e9,
            28.5);

    String line = FaultInjector.broken(sample, kind);

    InvalidTickException e =
        assertThrows(InvalidTickException.class, () -> TickParser.parse(line), line);
    assertEquals(kind.expectedCode(), e.code(), line);
    switch (kind) {
      case MISSING_FIELD:
        assertFalse(line.contains("price"), line);
        assertEquals(
            TickJson.toJson(sample).replace("\"price\":150.25,", ""), line, "only price removed");
        break;
      case WRONG_TYPE:
        assertTrue(line.contains("\"price\":\"150.25\""), line);
        break;
      case NEGATIVE_PRICE:
        assertTrue(line.contains("\"price\":-150.25"), line);
        break;
      case NAN_PRICE:
        assertTrue(line.contains("\"price\":NaN"), line);
        break;
      case BAD_TIMESTAMP:
        assertTrue(line.contains("\"timestamp\":\"29/06/2025 14:36\""), line);
        break;
      default:
        assertTrue(TickJson.toJson(sample).startsWith(line), line);
    }
  }

  @Test
  void configRejectsRatesOutsideZeroToOneAndNegativeDurations() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultConfig(1.5, 0, Duration.ZERO, 0, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultConfig(0, -0.1, Duration.ZERO, 0, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultConfig(0, 0, Duration.ZERO, Double.NaN, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultConfig(0, 0, Duration.ofSeconds(-1), 0, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultConfig(0, 0, Duration.ZERO, 0, Duration.ofSeconds(-1)));
  }

  // ---------------------------------------------------------------- helpers

  /** Observed fraction within 5 binomial standard deviations of p. */
  private static void assertRate(String what, long hits, long trials, double p) {
    double sigma = Math.sqrt(p * (1 - p) / trials);
    double observed = (double) hits / trials;
    assertTrue(
        Math.abs(observed - p) <= 5 * sigma,
        () -> what + " rate " + observed + " is not within 5 sigma (" + sigma + ") of " + p);
  }

  private static Tick assertParses(String line) {
    try {
      return TickParser.parse(line);
    } catch (InvalidTickException e) {
      throw new AssertionError(line + ": " + e.getMessage(), e);
    }
  }

  private static List<Emission> emissions(Run run) {
    return run.emitted.stream().map(o -> o.emission).collect(Collectors.toList());
  }

  /** 100,000 simulated ticks of 20 symbols through an injector with this config and seed. */
  private static Run run(FaultConfig config, long seed) {
    MarketSimulator sim =
        new MarketSimulator(Universe.first(20, seed), START, 60, Long.MAX_VALUE, seed);
    RecordingSource source = new RecordingSource(new BoundedSource(sim, TICKS, Duration.ZERO));
    FaultInjector injector = new FaultInjector(source, config, seed);
    List<Observed> emitted = new ArrayList<>();
    for (Emission e = injector.next(); e != null; e = injector.next()) {
      emitted.add(new Observed(e, source.highWater, source.exhausted));
    }
    return new Run(source, injector, emitted);
  }

  /** One emission and how far the source had got when the injector returned it. */
  private static final class Observed {
    final Emission emission;
    final long sourceHighWater;
    final boolean sourceExhausted;

    Observed(Emission emission, long sourceHighWater, boolean sourceExhausted) {
      this.emission = emission;
      this.sourceHighWater = sourceHighWater;
      this.sourceExhausted = sourceExhausted;
    }
  }

  private static final class Run {
    final RecordingSource source;
    final FaultInjector injector;
    final List<Observed> emitted;

    Run(RecordingSource source, FaultInjector injector, List<Observed> emitted) {
      this.source = source;
      this.injector = injector;
      this.emitted = emitted;
    }

    /** Emissions that are not resends. */
    List<Observed> originals() {
      return emitted.stream().filter(o -> !o.emission.duplicate()).collect(Collectors.toList());
    }
  }

  /** Passes ticks through, remembering them and the latest event time produced. */
  private static final class RecordingSource implements TickSource {
    final TickSource inner;
    final List<Tick> produced = new ArrayList<>();
    long highWater = Long.MIN_VALUE;
    boolean exhausted;

    RecordingSource(TickSource inner) {
      this.inner = inner;
    }

    @Override
    public @Nullable Tick next() {
      Tick t = inner.next();
      if (t == null) {
        exhausted = true;
      } else {
        produced.add(t);
        highWater = Math.max(highWater, t.timestampMillis());
      }
      return t;
    }
  }
}
