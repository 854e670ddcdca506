package io.tickstream.generator.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.FakeClock;
import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.GeneratorRun;
import io.tickstream.generator.Simulation;
import io.tickstream.generator.cli.GenerateCommand;
import io.tickstream.generator.cli.GeneratorMain;
import io.tickstream.generator.sink.StdoutSink;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import io.tickstream.tick.TickParser;
import io.tickstream.tick.TickTimestamps;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The simulated market: determinism of a whole generator run, event-time order, independent symbol
 * streams, the statistics of the price process and volumes, and the derived fundamentals.
 */
class MarketSimulatorTest {
  private static final long START = TickTimestamps.parseMillis(Simulation.DEFAULT_START);
  private static final String[] FAST = {"--speed", "max", "--progress-interval", "0"};

  // ---------------------------------------------------------------- determinism of a whole run

  @Test
  void sameFlagsAndSeedGiveIdenticalBytesFaultsIncluded() throws Exception {
    String[] flags = {
      "--seed", "7", "--symbols", "25", "--count", "40000", "--ticks-per-minute", "120",
      "--bad-rate", "0.02", "--dup-rate", "0.02", "--max-disorder", "3s", "--late-rate", "0.02",
      "--late-by", "1m"
    };

    byte[] first = generate(flags);
    byte[] second = generate(flags);

    assertArrayEquals(first, second);
    long lines = lines(first).size();
    assertTrue(lines > 40_000 && lines < 42_000, "40,000 ticks plus ~2% resends, got " + lines);
  }

  @Test
  void aDifferentSeedGivesDifferentTicks() throws Exception {
    List<String> seven = lines(generate("--seed", "7", "--symbols", "5", "--count", "1000"));
    List<String> eight = lines(generate("--seed", "8", "--symbols", "5", "--count", "1000"));

    assertEquals(1000, seven.size());
    assertEquals(1000, eight.size());
    // Same symbols, times and ids; each symbol's first price is its profile's start price, and
    // every later price comes from the seed.
    int laterPricesDiffering = 0;
    for (int i = 0; i < 1000; i++) {
      Tick a = TickParser.parse(seven.get(i));
      Tick b = TickParser.parse(eight.get(i));
      assertEquals(a.getEventId(), b.getEventId());
      assertEquals(a.getTimestamp(), b.getTimestamp());
      if (i < 5) {
        assertEquals(a.getPrice(), b.getPrice(), a.getEventId());
      } else {
        laterPricesDiffering += a.getPrice() == b.getPrice() ? 0 : 1;
      }
    }
    assertEquals(1000 - 5, laterPricesDiffering);
  }

  @Test
  void outputWithoutFaultsIsInEventTimeOrderAtTheConfiguredRate() throws Exception {
    // 7 ticks a minute is an interval of 8571.43 ms: the stagger and the rounding both show.
    List<String> lines =
        lines(
            generate(
                "--seed", "3", "--symbols", "30", "--ticks-per-minute", "7", "--count", "30000"));

    assertEquals(30_000, lines.size());
    long previous = Long.MIN_VALUE;
    Map<String, Long> lastBySymbol = new HashMap<>();
    Map<String, Integer> countBySymbol = new HashMap<>();
    for (String line : lines) {
      Tick t = TickParser.parse(line);
      assertTrue(t.timestampMillis() >= previous, () -> "went back in time at " + line);
      previous = t.timestampMillis();
      int n = countBySymbol.merge(t.getSymbol(), 1, Integer::sum) - 1;
      assertEquals(t.getSymbol() + "-" + n, t.getEventId());
      Long last = lastBySymbol.put(t.getSymbol(), t.timestampMillis());
      if (last == null) {
        assertTrue(t.timestampMillis() - START < 8572, "first tick inside the first interval");
      } else {
        long gap = t.timestampMillis() - last;
        assertTrue(gap == 8571 || gap == 8572, () -> "gap " + gap + " at " + line);
      }
    }
    assertEquals(30, countBySymbol.size());
    assertEquals(Set.of(1000), new HashSet<>(countBySymbol.values()));
    assertEquals(START, TickParser.parse(lines.get(0)).timestampMillis());
  }

  // ---------------------------------------------------------------- independent symbol streams

  @Test
  void aSubsetOfSymbolsGivesExactlyTheirTicksOfTheFullSimulation() {
    List<SymbolProfile> profiles = Universe.first(24, 99);
    long end = START + 3_600_000;
    List<Tick> full = drain(new MarketSimulator(profiles, START, 13, end, 99));

    assertEquals(24 * 13 * 60, full.size());
    List<Tick> merged = new ArrayList<>();
    for (int[] range : new int[][] {{0, 5}, {5, 6}, {6, 20}, {20, 24}}) {
      List<Tick> part =
          drain(new MarketSimulator(profiles, range[0], range[1], START, 13, end, 99));
      Set<String> symbols =
          profiles.subList(range[0], range[1]).stream()
              .map(SymbolProfile::symbol)
              .collect(Collectors.toSet());
      List<Tick> expected =
          full.stream().filter(t -> symbols.contains(t.getSymbol())).collect(Collectors.toList());
      assertEquals(expected, part, "symbols " + Arrays.toString(range));
      merged.addAll(part);
    }
    merged.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
    assertEquals(full, merged, "the parts, merged by event time, are the whole");
  }

  @Test
  void rejectsABadSymbolRangeOrRate() {
    List<SymbolProfile> profiles = Universe.first(3, 1);

    assertThrows(
        IllegalArgumentException.class,
        () -> new MarketSimulator(profiles, 2, 2, START, 60, Long.MAX_VALUE, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MarketSimulator(profiles, 0, 4, START, 60, Long.MAX_VALUE, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MarketSimulator(profiles, START, 0, Long.MAX_VALUE, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MarketSimulator(profiles, START, 60_001, Long.MAX_VALUE, 1));
  }

  // ---------------------------------------------------------------- the contract

  @Test
  void everySimulatedLineParsesBackToTheSameTick() throws Exception {
    // 120 symbols: the built-in ones and synthetic ones, with prices from 5 to 560.
    List<Tick> ticks =
        drain(new MarketSimulator(Universe.first(120, 5), START, 60, START + 600_000, 5));
    assertEquals(120 * 600, ticks.size());
    for (Tick t : ticks) {
      assertEquals(t, TickParser.parse(TickJson.toJson(t)), t::toString);
    }

    // And a generator run writes exactly those ticks, one JSON line each.
    List<String> lines =
        lines(generate("--seed", "5", "--symbols", "120", "--count", String.valueOf(ticks.size())));
    assertEquals(ticks.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(ticks.get(i), TickParser.parse(lines.get(i)), lines.get(i));
    }
  }

  // ---------------------------------------------------------------- statistics

  /** A strong drift and a low volatility, so a mean test over 200,000 steps has power. */
  @Test
  void logReturnsHaveTheConfiguredDriftAndVolatility() {
    double mu = 2.0;
    double sigma = 0.10;
    int steps = 200_000;
    // One tick a minute; a start price of 1000 makes the 4-decimal rounding (at most 5e-8 of the
    // price) negligible against a step's standard deviation of about 1.4e-4.
    SymbolProfile drifting = new SymbolProfile("DRIFT", 1000.0, mu, sigma, 1e9, 10.0, 100);
    MarketSimulator sim = new MarketSimulator(List.of(drifting), START, 1, Long.MAX_VALUE, 2024);
    double dt = sim.stepYears();
    assertEquals(60_000 / (365.25 * 24 * 3600 * 1000), dt, 1e-18);

    double[] r = logReturns(sim, steps);

    double stepSigma = sigma * Math.sqrt(dt);
    double se = stepSigma / Math.sqrt(r.length);
    double expectedMean = (mu - sigma * sigma / 2) * dt;
    double meanWithoutDrift = (0 - sigma * sigma / 2) * dt;
    // The test has power: a simulator that ignored the drift would be more than 6 SE off.
    assertTrue(Math.abs(expectedMean) > 6 * se, "expected mean vs 0 in SE: " + expectedMean / se);
    assertTrue(
        Math.abs(expectedMean - meanWithoutDrift) > 6 * se,
        "expected mean vs drift 0 in SE: " + (expectedMean - meanWithoutDrift) / se);

    double mean = mean(r);
    double sd = sd(r, mean);
    assertEquals(expectedMean, mean, 4 * se, "mean log return");
    assertTrue(Math.abs(mean - meanWithoutDrift) > 4 * se, "distinguishable from drift 0");
    assertEquals(stepSigma, sd, 0.02 * stepSigma, "sd of log returns");
  }

  /** The built-in profiles' volatilities, from low to high. */
  @Test
  void logReturnVolatilityMatchesEachBuiltInProfile() {
    List<SymbolProfile> profiles = Universe.named(List.of("KO", "AAPL", "NVDA", "TSLA"), 1);
    for (int i = 0; i < profiles.size(); i++) {
      SymbolProfile p = profiles.get(i);
      MarketSimulator sim = new MarketSimulator(profiles, i, i + 1, START, 1, Long.MAX_VALUE, 77);
      double[] r = logReturns(sim, 100_000);
      double stepSigma = p.volatility() * Math.sqrt(sim.stepYears());
      double se = stepSigma / Math.sqrt(r.length);

      double mean = mean(r);
      assertEquals(
          (p.drift() - p.volatility() * p.volatility() / 2) * sim.stepYears(),
          mean,
          4 * se,
          p.symbol() + " mean");
      assertEquals(stepSigma, sd(r, mean), 0.02 * stepSigma, p.symbol() + " sd");
    }
  }

  @Test
  void volumesAreLogNormalAroundTheMedianTradeSize() {
    SymbolProfile p = new SymbolProfile("VOL", 100.0, 0.0, 0.2, 1e9, 5.0, 250);
    List<Tick> ticks = drain(new MarketSimulator(List.of(p), START, 60_000, START + 100_000, 8));
    assertEquals(100_000, ticks.size());

    long[] volumes = ticks.stream().mapToLong(t -> t.getVolume()).sorted().toArray();
    double median = (volumes[49_999] + volumes[50_000]) / 2.0;
    assertEquals(250, median, 0.02 * 250, "median volume");
    double[] logs = Arrays.stream(volumes).mapToDouble(Math::log).toArray();
    double logMean = mean(logs);
    assertEquals(Math.log(250), logMean, 0.01, "mean of log volume");
    assertEquals(0.8, sd(logs, logMean), 0.02, "sd of log volume");
    assertTrue(volumes[0] >= 0);
  }

  // ---------------------------------------------------------------- fundamentals

  @Test
  void marketCapIsPriceTimesSharesAndPeIsPriceOverEarnings() {
    List<SymbolProfile> profiles = Universe.first(40, 12);
    Map<String, SymbolProfile> bySymbol = new HashMap<>();
    profiles.forEach(p -> bySymbol.put(p.symbol(), p));

    for (Tick t : drain(new MarketSimulator(profiles, START, 60, START + 300_000, 12))) {
      SymbolProfile p = bySymbol.get(t.getSymbol());
      assertEquals(Math.round(t.getPrice() * 10_000) / 10_000.0, t.getPrice(), t::toString);
      assertEquals(Math.rint(t.getPrice() * p.sharesOutstanding()), t.getMarketCap(), t::toString);
      assertEquals(
          Math.round(t.getPrice() / p.earningsPerShare() * 100) / 100.0,
          t.getPeRatio(),
          t::toString);
    }
  }

  /**
   * A price that rounds below the contract's smallest price is shown as 0.0001, and the derived
   * fields must describe that shown price, not zero.
   */
  @Test
  void fundamentalsFollowThePriceFloorOfAPennyStock() throws Exception {
    SymbolProfile penny = new SymbolProfile("PENNY", 0.00004, 0.0, 0.3, 5e9, 0.00001, 100);
    List<Tick> ticks = drain(new MarketSimulator(List.of(penny), START, 60, START + 60_000, 4));

    assertEquals(60, ticks.size());
    for (Tick t : ticks) {
      assertEquals(0.0001, t.getPrice(), t::toString);
      assertEquals(Math.rint(0.0001 * 5e9), t.getMarketCap(), t::toString);
      assertEquals(10.0, t.getPeRatio(), t::toString);
      assertEquals(t, TickParser.parse(TickJson.toJson(t)));
    }
  }

  @Test
  void syntheticProfilesArePlausibleAndDependOnlyOnSymbolAndSeed() {
    List<SymbolProfile> first = Universe.first(220, 42);
    assertEquals(
        Universe.knownSymbols(),
        first.subList(0, 20).stream().map(SymbolProfile::symbol).collect(Collectors.toList()));
    assertEquals("SYN0001", first.get(20).symbol());
    assertEquals("SYN0200", first.get(219).symbol());
    for (SymbolProfile p : first.subList(20, 220)) {
      assertTrue(TickParser.isValidSymbol(p.symbol()));
      assertTrue(p.startPrice() >= 5 && p.startPrice() <= 500, p::toString);
      assertTrue(p.volatility() >= 0.15 && p.volatility() <= 0.60, p::toString);
      assertTrue(p.earningsPerShare() > 0 && p.sharesOutstanding() > 0, p::toString);
      assertEquals(p, Universe.named(List.of(p.symbol()), 42).get(0));
    }
    assertEquals(first, Universe.first(220, 42));
    assertFalse(first.subList(20, 220).equals(Universe.first(220, 43).subList(20, 220)));
  }

  // ---------------------------------------------------------------- helpers

  /** Per-step log returns of a one-symbol simulator, from the prices of its ticks. */
  private static double[] logReturns(MarketSimulator sim, int steps) {
    double[] r = new double[steps];
    Tick previous = sim.next();
    for (int i = 0; i < steps; i++) {
      Tick t = sim.next();
      assertNotNull(t);
      r[i] = Math.log(t.getPrice() / previous.getPrice());
      previous = t;
    }
    return r;
  }

  private static double mean(double[] xs) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.length;
  }

  private static double sd(double[] xs, double mean) {
    double sum = 0;
    for (double x : xs) {
      sum += (x - mean) * (x - mean);
    }
    return Math.sqrt(sum / (xs.length - 1));
  }

  private static List<Tick> drain(MarketSimulator sim) {
    List<Tick> out = new ArrayList<>();
    for (Tick t = sim.next(); t != null; t = sim.next()) {
      out.add(t);
    }
    return out;
  }

  /** A whole generator run, flags as on the command line, into memory; fails on a non-zero exit. */
  static byte[] generate(String... flags) throws Exception {
    String[] args = Arrays.copyOf(flags, flags.length + FAST.length);
    System.arraycopy(FAST, 0, args, flags.length, FAST.length);
    CommandLine cl = GeneratorMain.commandLine(Map.of());
    cl.parseArgs(args);
    GenerateCommand command = cl.getCommand();
    GeneratorConfig config = command.toConfig();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code =
        new GeneratorRun(config, new PrintWriter(err), c -> new StdoutSink(out), new FakeClock(0))
            .run();
    assertEquals(0, code, err::toString);
    return out.toByteArray();
  }

  private static List<String> lines(byte[] output) {
    String text = new String(output, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return List.of();
    }
    assertTrue(text.endsWith("\n"), "output ends with a line terminator");
    return List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }
}
