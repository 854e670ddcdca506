package io.tickstream.pipeline.io;

import io.tickstream.generator.GenerateCommand;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.generator.market.Universe;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@link ReadGenerator} simulates, as one immutable value the source carries to the workers.
 *
 * <p>Symbols are kept by name and turned into profiles with {@link Universe#named} and the seed, so
 * the value stays Java-serializable (profiles and {@link FaultConfig} are not) and names the same
 * instruments as {@code tickstream generate --symbols} with the same seed. Fault settings are kept
 * as plain fields for the same reason; {@link #faults()} rebuilds them.
 *
 * @param seed the seed all randomness derives from
 * @param symbols tickers in their fixed order (positions seed the random streams), upper case
 * @param startMillis simulated time of the first tick, epoch millis
 * @param ticksPerMinute ticks per symbol per simulated minute, 1 to 60,000
 * @param speed simulated time per wall time; {@code Double.POSITIVE_INFINITY} for as fast as
 *     possible
 * @param maxTicks ticks to produce over all splits, 0 for no limit; the ticks are the first {@code
 *     maxTicks} of the unsplit simulator, so each split gets the ones of its own symbols
 * @param durationMillis simulated time to cover from {@code startMillis}, 0 for no limit
 * @param badRate fraction of ticks replaced by a broken record, 0 to 1
 * @param dupRate fraction of records followed by a resend of a recent record, 0 to 1
 * @param maxDisorderMillis ticks are emitted out of event-time order by up to this much simulated
 *     time
 * @param lateRate fraction of ticks held back by {@code lateByMillis}, 0 to 1
 * @param lateByMillis how far behind the rest a late tick is emitted, in simulated time
 * @param maxOutOfOrdernessMillis the watermark trails the latest event time of a split by this much
 * @param splits number of source splits, 1 to the number of symbols; fixed here rather than by the
 *     runner so that the records do not depend on the parallelism
 */
public record GeneratorSourceConfig(
    long seed,
    List<String> symbols,
    long startMillis,
    int ticksPerMinute,
    double speed,
    long maxTicks,
    long durationMillis,
    double badRate,
    double dupRate,
    long maxDisorderMillis,
    double lateRate,
    long lateByMillis,
    long maxOutOfOrdernessMillis,
    int splits)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Splits of {@link #of} when there are enough symbols. */
  public static final int DEFAULT_SPLITS = 4;

  /** Checks every field and normalises the symbols to the names {@link Universe} gives them. */
  public GeneratorSourceConfig {
    symbols =
        List.copyOf(Universe.named(symbols, seed).stream().map(SymbolProfile::symbol).toList());
    if (symbols.isEmpty()) {
      throw new IllegalArgumentException("at least one symbol is needed");
    }
    if (ticksPerMinute < 1 || ticksPerMinute > 60_000) {
      throw new IllegalArgumentException(
          "ticks per minute must be 1 to 60000, got " + ticksPerMinute);
    }
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be above 0 (infinity for max), got " + speed);
    }
    if (maxTicks < 0 || durationMillis < 0) {
      throw new IllegalArgumentException(
          "max ticks and duration must not be negative (0 = no limit), got "
              + maxTicks
              + " and "
              + durationMillis
              + " ms");
    }
    if (durationMillis > 0 && Long.MAX_VALUE - durationMillis < startMillis) {
      throw new IllegalArgumentException("start + duration is past the end of time");
    }
    if (maxOutOfOrdernessMillis < 0) {
      throw new IllegalArgumentException(
          "max out-of-orderness must not be negative, got " + maxOutOfOrdernessMillis + " ms");
    }
    if (splits < 1 || splits > symbols.size()) {
      throw new IllegalArgumentException(
          "splits must be 1 to the number of symbols (" + symbols.size() + "), got " + splits);
    }
    // FaultConfig checks rates and durations.
    faults(badRate, dupRate, maxDisorderMillis, lateRate, lateByMillis);
  }

  /**
   * The named symbols with {@code tickstream generate}'s defaults: start {@value
   * GenerateCommand#DEFAULT_START}, 60 ticks a minute, as fast as possible, no limit, no faults, a
   * watermark right at the latest event time, and {@code min(4, symbols)} splits.
   */
  public static GeneratorSourceConfig of(long seed, List<String> symbols) {
    int splits = Math.min(DEFAULT_SPLITS, Math.max(1, symbols.size()));
    return new GeneratorSourceConfig(
        seed,
        symbols,
        Instant.parse(GenerateCommand.DEFAULT_START).toEpochMilli(),
        60,
        Double.POSITIVE_INFINITY,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        splits);
  }

  /** Like {@link #of(long, List)} for the first {@code count} symbols of {@link Universe#first}. */
  public static GeneratorSourceConfig ofFirst(long seed, int count) {
    return of(seed, Universe.first(count, seed).stream().map(SymbolProfile::symbol).toList());
  }

  /** The symbols' profiles, in order. */
  public List<SymbolProfile> profiles() {
    return Universe.named(symbols, seed);
  }

  /** The fault settings as the generator takes them. */
  public FaultConfig faults() {
    return faults(badRate, dupRate, maxDisorderMillis, lateRate, lateByMillis);
  }

  /** The simulated time (exclusive) at which every split ends, or {@code Long.MAX_VALUE}. */
  public long endMillis() {
    return durationMillis > 0 ? startMillis + durationMillis : Long.MAX_VALUE;
  }

  /** True when the source ends by itself, by {@code maxTicks} or {@code durationMillis}. */
  public boolean bounded() {
    return maxTicks > 0 || durationMillis > 0;
  }

  public GeneratorSourceConfig withStart(Instant start) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        start.toEpochMilli(),
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrdernessMillis,
        splits);
  }

  public GeneratorSourceConfig withTicksPerMinute(int ticksPerMinute) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrdernessMillis,
        splits);
  }

  /** Simulated time per wall time; {@code Double.POSITIVE_INFINITY} for as fast as possible. */
  public GeneratorSourceConfig withSpeed(double speed) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrdernessMillis,
        splits);
  }

  /** Ticks over all splits, 0 for no limit. */
  public GeneratorSourceConfig withMaxTicks(long maxTicks) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrdernessMillis,
        splits);
  }

  /** Simulated time to cover, zero for no limit. */
  public GeneratorSourceConfig withDuration(Duration duration) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        duration.toMillis(),
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrdernessMillis,
        splits);
  }

  public GeneratorSourceConfig withFaults(FaultConfig f) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        f.badRate(),
        f.dupRate(),
        f.maxDisorder().toMillis(),
        f.lateRate(),
        f.lateBy().toMillis(),
        maxOutOfOrdernessMillis,
        splits);
  }

  public GeneratorSourceConfig withMaxOutOfOrderness(Duration maxOutOfOrderness) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrderness.toMillis(),
        splits);
  }

  public GeneratorSourceConfig withSplits(int splits) {
    return new GeneratorSourceConfig(
        seed,
        symbols,
        startMillis,
        ticksPerMinute,
        speed,
        maxTicks,
        durationMillis,
        badRate,
        dupRate,
        maxDisorderMillis,
        lateRate,
        lateByMillis,
        maxOutOfOrdernessMillis,
        splits);
  }

  private static FaultConfig faults(
      double badRate, double dupRate, long maxDisorderMillis, double lateRate, long lateByMillis) {
    return new FaultConfig(
        badRate,
        dupRate,
        Duration.ofMillis(maxDisorderMillis),
        lateRate,
        Duration.ofMillis(lateByMillis));
  }
}
