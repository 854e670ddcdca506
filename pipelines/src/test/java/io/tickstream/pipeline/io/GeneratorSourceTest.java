package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.BoundedSource;
import io.tickstream.generator.TickSource;
import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.generator.faults.FaultInjector;
import io.tickstream.generator.market.MarketSimulator;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.tick.Tick;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Reads {@link GeneratorSource} splits directly, without a runner. */
class GeneratorSourceTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();
  private static final FaultConfig FAULTS =
      new FaultConfig(0.05, 0.03, Duration.ofSeconds(2), 0.02, Duration.ofMinutes(1));

  /** 5 symbols, 3 simulated minutes at 60 ticks a minute, every kind of fault, 3 splits. */
  private static final GeneratorSourceConfig CONFIG =
      GeneratorSourceConfig.of(
              Simulations.fast(7, 5).setDuration(Duration.ofMinutes(3)).setFaults(FAULTS).build())
          .withMaxOutOfOrderness(Duration.ofSeconds(2))
          .withSplits(3);

  /** The symbol ranges of 5 symbols in 3 splits. */
  private static final int[][] RANGES = {{0, 1}, {1, 3}, {3, 5}};

  @Test
  void splitCountIsFixedByTheConfigNotTheRunner() throws Exception {
    GeneratorSource source = GeneratorSource.of(CONFIG);
    for (int desired : new int[] {1, 2, 3, 16}) {
      List<GeneratorSource> splits = source.split(desired, OPTIONS);
      assertEquals(3, splits.size(), "desired " + desired);
      for (int i = 0; i < splits.size(); i++) {
        assertEquals(i, splits.get(i).splitIndex());
        assertEquals(List.of(splits.get(i)), splits.get(i).split(desired, OPTIONS));
      }
    }
    assertEquals(4, GeneratorSourceConfig.of(Simulations.fast(7, 20).build()).splits());
    assertEquals(2, GeneratorSourceConfig.of(Simulations.fast(7, 2).build()).splits());
  }

  @Test
  void eachSplitEmitsWhatAPlainInjectorOverItsSymbolRangeEmits() throws Exception {
    List<GeneratorSource> splits = GeneratorSource.of(CONFIG).split(1, OPTIONS);
    List<SymbolProfile> profiles = CONFIG.simulation().profiles();
    long end = CONFIG.simulation().startMillis() + Duration.ofMinutes(3).toMillis();
    long records = 0;
    long ticks = 0;
    long duplicates = 0;
    for (int i = 0; i < 3; i++) {
      FaultInjector plain =
          new FaultInjector(
              new MarketSimulator(
                  profiles,
                  RANGES[i][0],
                  RANGES[i][1],
                  CONFIG.simulation().startMillis(),
                  60,
                  end,
                  7),
              FAULTS,
              GeneratorSource.faultSeed(7, i));
      List<Emission> expected = drain(plain);
      List<Read> actual = readAll(splits.get(i));
      assertEquals(expected.size(), actual.size(), "split " + i);
      for (int n = 0; n < expected.size(); n++) {
        Emission e = expected.get(n);
        Read r = actual.get(n);
        assertEquals("generator", r.record.getSource());
        assertEquals("split=" + i + " seq=" + n, r.record.getPosition());
        assertEquals(e.line(), new String(r.record.getPayload(), StandardCharsets.UTF_8));
        assertEquals(e.eventTimeMillis(), r.timestamp.getMillis());
      }
      records += actual.size();
      ticks += plain.counts().ticks();
      duplicates += plain.counts().duplicates();
      assertTrue(plain.counts().bad() > 0, "split " + i + " has broken records");
    }
    // Count conservation: every tick of the unsplit simulator once, plus the resends.
    long unsplitTicks =
        drainTicks(new MarketSimulator(profiles, CONFIG.simulation().startMillis(), 60, end, 7));
    assertEquals(5 * 180, unsplitTicks);
    assertEquals(unsplitTicks, ticks);
    assertEquals(ticks + duplicates, records);
  }

  @Test
  void oneSplitEmitsExactlyWhatTheStandaloneGeneratorEmits() throws Exception {
    // 777 ticks are more than 2 minutes hold (600): the duration binds; 444 are fewer.
    for (long count : new long[] {777, 444}) {
      GeneratorSourceConfig one =
          Simulations.with(
              CONFIG.withSplits(1), s -> s.setMaxTicks(count).setDuration(Duration.ofMinutes(2)));
      // As GeneratorRun builds it for `tickstream generate`.
      FaultInjector standalone =
          new FaultInjector(
              new BoundedSource(
                  new MarketSimulator(
                      CONFIG.simulation().profiles(),
                      CONFIG.simulation().startMillis(),
                      60,
                      Long.MAX_VALUE,
                      7),
                  count,
                  Duration.ofMinutes(2)),
              FAULTS,
              7);
      List<String> expected = drain(standalone).stream().map(Emission::line).toList();
      // The unsplit source reads as its single split.
      List<String> actual = readAll(GeneratorSource.of(one)).stream().map(Read::line).toList();
      assertEquals(expected, actual, "count " + count);
      assertEquals(Math.min(count, 600), standalone.counts().ticks());
    }
  }

  @Test
  void aTickCountTakesTheFirstTicksOfTheUnsplitSimulator() throws Exception {
    for (long count : new long[] {1, 3, 7, 10, 23}) {
      GeneratorSourceConfig bounded =
          GeneratorSourceConfig.of(Simulations.fast(7, 5).setMaxTicks(count).build()).withSplits(3);
      List<String> expected = new ArrayList<>();
      TickSource unsplit =
          new MarketSimulator(
              bounded.simulation().profiles(),
              bounded.simulation().startMillis(),
              60,
              Long.MAX_VALUE,
              bounded.simulation().seed());
      for (int n = 0; n < count; n++) {
        expected.add(unsplit.next().getEventId());
      }
      List<String> actual = new ArrayList<>();
      for (GeneratorSource split : GeneratorSource.of(bounded).split(3, OPTIONS)) {
        for (Read r : readAll(split)) {
          actual.add(eventId(r.line()));
        }
      }
      assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
    }
  }

  @Test
  void restoringFromACheckpointYieldsTheSameRemainingRecords() throws Exception {
    GeneratorSource split = GeneratorSource.of(CONFIG).split(1, OPTIONS).get(1);
    List<Read> all = readAll(split);
    Coder<GeneratorSource.Checkpoint> coder = split.getCheckpointMarkCoder();
    for (int k : new int[] {0, 1, 17, all.size() / 2, all.size() - 1, all.size()}) {
      UnboundedReader<RawRecord> reader = split.createReader(OPTIONS, null);
      List<Read> prefix = read(reader, k);
      Instant watermark = reader.getWatermark();
      GeneratorSource.Checkpoint mark = (GeneratorSource.Checkpoint) reader.getCheckpointMark();
      assertEquals(k, mark.emitted());
      reader.close();

      GeneratorSource.Checkpoint restored = CoderUtils.clone(coder, mark);
      UnboundedReader<RawRecord> resumed = split.createReader(OPTIONS, restored);
      if (k > 0 && k < all.size()) {
        assertEquals(watermark, resumed.getWatermark(), "watermark survives the restore");
      }
      List<Read> rest = read(resumed, Integer.MAX_VALUE);
      List<Read> joined = new ArrayList<>(prefix);
      joined.addAll(rest);
      assertEquals(all, joined, "checkpoint after " + k);
      assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, resumed.getWatermark());
    }
  }

  @Test
  void aCheckpointBeyondTheEndOfTheSplitIsRejected() {
    GeneratorSource split =
        GeneratorSource.of(
                Simulations.with(CONFIG, s -> s.setFaults(FaultConfig.NONE).setMaxTicks(10)))
            .split(1, OPTIONS)
            .get(0);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> split.createReader(OPTIONS, new GeneratorSource.Checkpoint(11)));
    assertTrue(e.getMessage().contains("only 2"), e.getMessage());
  }

  @Test
  void watermarkTrailsTheLatestEventTimeAndEndsAtTheEndOfTime() throws Exception {
    long ooo = 2_000;
    GeneratorSource split = GeneratorSource.of(CONFIG).split(1, OPTIONS).get(2);
    List<Emission> emissions =
        drain(
            new FaultInjector(
                new MarketSimulator(
                    CONFIG.simulation().profiles(),
                    3,
                    5,
                    CONFIG.simulation().startMillis(),
                    60,
                    CONFIG.simulation().endMillis(),
                    7),
                FAULTS,
                GeneratorSource.faultSeed(7, 2)));
    UnboundedReader<RawRecord> reader = split.createReader(OPTIONS, null);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, reader.getWatermark());
    long max = Long.MIN_VALUE;
    int n = 0;
    long lateTicks = 0;
    Instant previous = BoundedWindow.TIMESTAMP_MIN_VALUE;
    for (boolean more = reader.start(); more; more = reader.advance(), n++) {
      long t = reader.getCurrentTimestamp().getMillis();
      Emission e = emissions.get(n);
      if (t < reader.getWatermark().getMillis()) {
        // Disorder stays within the 2 s out-of-orderness: only late ticks and resends fall behind.
        assertTrue(e.late() || e.duplicate(), "record " + n + " is behind the watermark");
        lateTicks += e.late() && !e.duplicate() ? 1 : 0;
      }
      max = Math.max(max, t);
      assertEquals(new Instant(max - ooo), reader.getWatermark());
      assertFalse(reader.getWatermark().isBefore(previous));
      previous = reader.getWatermark();
    }
    assertEquals(emissions.size(), n);
    assertTrue(lateTicks > 0, "some late ticks are behind the watermark");
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  void atAFiniteSpeedRecordsWaitForTheWallClock() throws Exception {
    FakeClock clock = new FakeClock();
    // One symbol ticking every simulated second, at 60x: a record every 1/60 s of wall time.
    GeneratorSourceConfig paced =
        GeneratorSourceConfig.of(Simulations.fast(7, 1).setSpeed(60).setMaxTicks(3).build());
    UnboundedReader<RawRecord> reader =
        GeneratorSource.of(paced, clock).split(1, OPTIONS).get(0).createReader(OPTIONS, null);
    assertTrue(reader.start(), "the first record is due at once");
    assertFalse(reader.advance());
    clock.nanos += 10_000_000;
    assertFalse(reader.advance());
    Instant watermark = reader.getWatermark();
    clock.nanos += 6_000_000; // 16 ms: within the 1 ms slack of 16.7 ms
    assertTrue(reader.advance());
    assertEquals(1, seq(reader.getCurrent()));
    assertTrue(watermark.isBefore(reader.getWatermark()));
    clock.nanos += 33_000_000;
    assertTrue(reader.advance());
    assertFalse(reader.advance(), "exhausted");
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  void atInfiniteSpeedNothingIsHeldBack() throws Exception {
    FakeClock frozen = new FakeClock();
    GeneratorSource split =
        GeneratorSource.of(Simulations.with(CONFIG, s -> s.setMaxTicks(200)), frozen)
            .split(1, OPTIONS)
            .get(0);
    UnboundedReader<RawRecord> reader = split.createReader(OPTIONS, null);
    int n = 0;
    for (boolean more = reader.start(); more; more = reader.advance()) {
      n++;
    }
    assertEquals(readAll(split).size(), n);
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  void aSplitWithoutTicksEndsAtOnce() throws Exception {
    // 2 ticks over 5 symbols: the last split (symbols 3 and 4) gets none.
    GeneratorSource last =
        GeneratorSource.of(Simulations.with(CONFIG, s -> s.setMaxTicks(2)))
            .split(1, OPTIONS)
            .get(2);
    UnboundedReader<RawRecord> reader = last.createReader(OPTIONS, null);
    assertFalse(reader.start());
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  void codersAndSourcesSurviveTheTripToTheWorkers() throws Exception {
    GeneratorSource source = GeneratorSource.of(CONFIG);
    CoderProperties.coderDecodeEncodeEqual(
        source.getCheckpointMarkCoder(), new GeneratorSource.Checkpoint(123_456_789L));
    CoderProperties.coderDeterministic(
        source.getCheckpointMarkCoder(),
        new GeneratorSource.Checkpoint(5),
        new GeneratorSource.Checkpoint(5));
    CoderProperties.coderSerializable(source.getCheckpointMarkCoder());

    Coder<RawRecord> output = source.getOutputCoder();
    assertTrue(output instanceof SchemaCoder, output.toString());
    RawRecord first = readAll(source.split(1, OPTIONS).get(0)).get(0).record;
    CoderProperties.coderDecodeEncodeEqual(output, first);

    for (GeneratorSource split : source.split(1, OPTIONS)) {
      GeneratorSource copy = SerializableUtils.ensureSerializable(split);
      assertEquals(readAll(split), readAll(copy));
    }
  }

  @Test
  void theWholeSourceIsReadThroughItsSplits() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> GeneratorSource.of(CONFIG).createReader(OPTIONS, null));
    assertTrue(e.getMessage().contains("3 splits"), e.getMessage());
  }

  @Test
  void inconsistentSettingsAreRejectedWithBothNamed() {
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withSplits(6));
    assertTrue(tooMany.getMessage().contains("number of symbols (5)"), tooMany.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Simulations.with(CONFIG, s -> s.setSpeed(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Simulations.with(CONFIG, s -> s.setSpeed(Double.NaN)));
    assertThrows(
        IllegalArgumentException.class, () -> Simulations.with(CONFIG, s -> s.setMaxTicks(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Simulations.with(CONFIG, s -> s.setTicksPerMinute(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultConfig(1.5, 0, Duration.ZERO, 0, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> Simulations.fast(7, 1).setSymbols(List.of("AAPL", "aapl")).build());
    assertEquals(
        List.of("AAPL", "SYN0001"),
        Simulations.fast(7, 1).setSymbols(List.of(" aapl", "SYN0001")).build().symbols());
  }

  /** A record as a reader gave it, with its timestamp. */
  private record Read(RawRecord record, Instant timestamp) {
    String line() {
      return new String(record.getPayload(), StandardCharsets.UTF_8);
    }
  }

  private static List<Read> readAll(GeneratorSource split) throws Exception {
    return read(split.createReader(OPTIONS, null), Integer.MAX_VALUE);
  }

  /**
   * Reads up to {@code n} records from a fresh reader (n = 0 reads nothing and leaves it
   * unstarted).
   */
  private static List<Read> read(UnboundedReader<RawRecord> reader, int n) throws Exception {
    List<Read> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    for (boolean more = reader.start(); more; more = out.size() < n && reader.advance()) {
      out.add(new Read(reader.getCurrent(), reader.getCurrentTimestamp()));
    }
    return out;
  }

  private static List<Emission> drain(FaultInjector injector) {
    List<Emission> out = new ArrayList<>();
    for (Emission e = injector.next(); e != null; e = injector.next()) {
      out.add(e);
    }
    return out;
  }

  private static long drainTicks(TickSource source) {
    long n = 0;
    for (Tick t = source.next(); t != null; t = source.next()) {
      n++;
    }
    return n;
  }

  private static String eventId(String line) {
    int start = line.indexOf("\"event_id\":\"") + "\"event_id\":\"".length();
    return line.substring(start, line.indexOf('"', start));
  }

  private static long seq(RawRecord r) {
    return Long.parseLong(r.getPosition().substring(r.getPosition().indexOf("seq=") + 4));
  }

  /** A wall clock the test moves by hand. */
  private static final class FakeClock implements GeneratorSource.WallClock {
    long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
      return nanos;
    }
  }
}
