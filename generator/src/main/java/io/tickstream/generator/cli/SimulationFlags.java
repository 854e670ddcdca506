package io.tickstream.generator.cli;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.generator.market.Universe;
import io.tickstream.tick.TickTimestamps;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags of a simulated market and its faults, shared by {@code tickstream generate} and the
 * pipeline's generator source ({@code tickstream stream --source generator}), so both read them
 * with the same names, defaults, help and checks. {@link #toSimulation} turns them into one value.
 */
public final class SimulationFlags {
  /** The long names of these flags, e.g. to tell when one is given for another source. */
  public static final List<String> NAMES =
      List.of(
          "--seed",
          "--symbols",
          "--start",
          "--ticks-per-minute",
          "--speed",
          "--count",
          "--duration",
          "--bad-rate",
          "--dup-rate",
          "--max-disorder",
          "--late-rate",
          "--late-by");

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--seed",
      defaultValue = "" + Simulation.DEFAULT_SEED,
      description = "Seed for every random choice (same flags, same seed: same bytes).")
  long seed;

  @Option(
      names = "--symbols",
      paramLabel = "N|TICKERS",
      defaultValue = "" + Simulation.DEFAULT_SYMBOLS,
      description =
          "How many instruments (the 20 built-in large caps first, then synthetic SYN0001...), or a"
              + " comma-separated list of tickers.")
  String symbols;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      defaultValue = Simulation.DEFAULT_START,
      description = "Simulated time of the first tick, ISO-8601 (UTC if no offset).")
  String start;

  @Option(
      names = "--ticks-per-minute",
      paramLabel = "N",
      defaultValue = "" + Simulation.DEFAULT_TICKS_PER_MINUTE,
      description = "Ticks per symbol per simulated minute.")
  int ticksPerMinute;

  @Option(
      names = "--speed",
      paramLabel = "X|max",
      defaultValue = "1",
      description =
          "Simulated time per wall time (1 = real time, 60 = a minute a second), or 'max'.")
  String speed;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "0",
      description = "Ticks to produce, then stop; 0 = no limit.")
  long count;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "0",
      converter = DurationConverter.class,
      description = "Simulated time to cover, then stop (30s, 5m, 2h, PT2H); 0 = no limit.")
  Duration duration;

  @Option(
      names = "--bad-rate",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "Fraction (0-1) of ticks replaced by a broken record.")
  double badRate;

  @Option(
      names = "--dup-rate",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "Fraction (0-1) of records followed by a resend of a recent one.")
  double dupRate;

  @Option(
      names = "--max-disorder",
      paramLabel = "DURATION",
      defaultValue = "0",
      converter = DurationConverter.class,
      description = "Emit ticks out of event-time order by up to this much simulated time.")
  Duration maxDisorder;

  @Option(
      names = "--late-rate",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "Fraction (0-1) of ticks held back by --late-by.")
  double lateRate;

  @Option(
      names = "--late-by",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "How far behind the rest a late tick is sent, in simulated time.")
  Duration lateBy;

  /**
   * Checks every flag and converts them into one value.
   *
   * @throws picocli.CommandLine.ParameterException naming the flag and the value
   */
  public Simulation toSimulation() {
    long startMillis = Flags.parse(spec, "--start", start, TickTimestamps::parseMillis);
    if (ticksPerMinute < 1 || ticksPerMinute > Simulation.MAX_TICKS_PER_MINUTE) {
      throw Flags.invalid(
          spec,
          "--ticks-per-minute",
          ticksPerMinute,
          "must be 1 to " + Simulation.MAX_TICKS_PER_MINUTE);
    }
    if (count < 0) {
      throw Flags.invalid(spec, "--count", count, "must be 0 (no limit) or more");
    }
    FaultConfig faults =
        new FaultConfig(
            Flags.fraction(spec, "--bad-rate", badRate),
            Flags.fraction(spec, "--dup-rate", dupRate),
            maxDisorder,
            Flags.fraction(spec, "--late-rate", lateRate),
            lateBy);
    return Simulation.builder()
        .setSeed(seed)
        .setSymbols(Flags.parse(spec, "--symbols", symbols, this::symbolNames))
        .setStartMillis(startMillis)
        .setTicksPerMinute(ticksPerMinute)
        .setSpeed(parseSpeed())
        .setMaxTicks(count)
        .setDuration(duration)
        .setFaults(faults)
        .build();
  }

  private List<String> symbolNames(String value) {
    if (value.matches("\\d+")) {
      int n = Integer.parseInt(value);
      if (n < 1 || n > Simulation.MAX_SYMBOLS) {
        throw new IllegalArgumentException("must be 1 to " + Simulation.MAX_SYMBOLS + " symbols");
      }
      return Universe.first(n, seed).stream().map(SymbolProfile::symbol).toList();
    }
    return Universe.named(Arrays.asList(value.split(",")), seed).stream()
        .map(SymbolProfile::symbol)
        .toList();
  }

  private double parseSpeed() {
    if (speed.equalsIgnoreCase("max")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double s = Double.parseDouble(speed);
      if (s > 0 && Double.isFinite(s)) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Flags.invalid(spec, "--speed", speed, "must be a positive number or 'max'");
  }
}
