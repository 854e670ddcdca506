package io.tickstream.generator;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.generator.market.Universe;
import io.tickstream.tick.TickTimestamps;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What to simulate: the market (seed, instruments, start, tick rate), how fast to emit it, where it
 * ends, and the faults to inject. One immutable, serializable value, made once from the command
 * line ({@code tickstream generate} and the pipeline's generator source take the same flags) or
 * with {@link #builder()}, and carried as it is to wherever the ticks are made.
 *
 * <p>Instruments are kept by name and turned into profiles with {@link Universe#named} and the
 * seed, so the value stays small and serializable and names the same instruments as {@code
 * --symbols} with the same seed. The defaults here are the flags' defaults.
 */
@AutoValue
public abstract class Simulation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default of {@code --seed}. */
  public static final long DEFAULT_SEED = 42;

  /** The default of {@code --symbols}: the 20 built-in large caps. */
  public static final int DEFAULT_SYMBOLS = 20;

  /** The default of {@code --start}: the New York open on the first trading day of 2025. */
  public static final String DEFAULT_START = "2025-01-02T14:30:00Z";

  /** The default of {@code --ticks-per-minute}. */
  public static final int DEFAULT_TICKS_PER_MINUTE = 60;

  /** The most ticks a symbol may have per simulated minute. */
  public static final int MAX_TICKS_PER_MINUTE = 60_000;

  /** The most instruments one simulation holds. */
  public static final int MAX_SYMBOLS = 100_000;

  /** The seed every random choice derives from. */
  public abstract long seed();

  /**
   * Tickers in their fixed order (positions seed the random streams), as {@link Universe} names.
   */
  public abstract List<String> symbols();

  /** Simulated time of the first tick, epoch millis. */
  public abstract long startMillis();

  /** Ticks per symbol per simulated minute, 1 to {@value #MAX_TICKS_PER_MINUTE}. */
  public abstract int ticksPerMinute();

  /** Simulated time per wall time; {@code Double.POSITIVE_INFINITY} for as fast as possible. */
  public abstract double speed();

  /** Ticks to produce at most, 0 for no limit. */
  public abstract long maxTicks();

  /** Simulated time to cover from the start, zero for no limit. */
  public abstract Duration duration();

  /** Faults to inject on purpose. */
  public abstract FaultConfig faults();

  public abstract Builder toBuilder();

  /**
   * The flags' defaults: seed {@value #DEFAULT_SEED}, the first {@value #DEFAULT_SYMBOLS} symbols,
   * start {@value #DEFAULT_START}, {@value #DEFAULT_TICKS_PER_MINUTE} ticks a minute, real time, no
   * limit, no faults.
   */
  public static Builder builder() {
    return new AutoValue_Simulation.Builder()
        .setSeed(DEFAULT_SEED)
        .setFirstSymbols(DEFAULT_SYMBOLS)
        .setStartMillis(TickTimestamps.parseMillis(DEFAULT_START))
        .setTicksPerMinute(DEFAULT_TICKS_PER_MINUTE)
        .setSpeed(1)
        .setMaxTicks(0)
        .setDuration(Duration.ZERO)
        .setFaults(FaultConfig.NONE);
  }

  /** The symbols' profiles, in order. */
  public List<SymbolProfile> profiles() {
    return Universe.named(symbols(), seed());
  }

  /** The simulated time (exclusive) at which the simulation ends, or {@code Long.MAX_VALUE}. */
  public long endMillis() {
    return duration().isZero() ? Long.MAX_VALUE : startMillis() + duration().toMillis();
  }

  /** True when the simulation ends by itself, by {@link #maxTicks} or {@link #duration}. */
  public boolean bounded() {
    return maxTicks() > 0 || !duration().isZero();
  }

  /** Builds a {@link Simulation}; {@link #build} checks every field. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSeed(long seed);

    /** Instruments by name: the built-in ones as they are, any other synthetic from the seed. */
    public abstract Builder setSymbols(List<String> symbols);

    /**
     * The first {@code count} instruments of {@link Universe#first}: the built-in large caps, then
     * synthetic {@code SYN0001...}.
     */
    public Builder setFirstSymbols(int count) {
      if (count < 1 || count > MAX_SYMBOLS) {
        throw new IllegalArgumentException(
            "must be 1 to " + MAX_SYMBOLS + " symbols, got " + count);
      }
      // The names do not depend on the seed; the synthetic profiles do, through named().
      return setSymbols(Universe.first(count, 0).stream().map(SymbolProfile::symbol).toList());
    }

    public abstract Builder setStartMillis(long startMillis);

    public abstract Builder setTicksPerMinute(int ticksPerMinute);

    public abstract Builder setSpeed(double speed);

    public abstract Builder setMaxTicks(long maxTicks);

    public abstract Builder setDuration(Duration duration);

    public abstract Builder setFaults(FaultConfig faults);

    abstract Simulation autoBuild();

    /**
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public Simulation build() {
      Simulation s = autoBuild();
      List<String> names =
          Universe.named(s.symbols(), s.seed()).stream().map(SymbolProfile::symbol).toList();
      if (names.isEmpty() || names.size() > MAX_SYMBOLS) {
        throw new IllegalArgumentException(
            "a simulation needs 1 to " + MAX_SYMBOLS + " symbols, got " + names.size());
      }
      if (s.ticksPerMinute() < 1 || s.ticksPerMinute() > MAX_TICKS_PER_MINUTE) {
        throw new IllegalArgumentException(
            "ticks per minute must be 1 to "
                + MAX_TICKS_PER_MINUTE
                + ", got "
                + s.ticksPerMinute());
      }
      if (!(s.speed() > 0)) {
        throw new IllegalArgumentException(
            "speed must be above 0 (infinity for as fast as possible), got " + s.speed());
      }
      if (s.maxTicks() < 0 || s.duration().isNegative()) {
        throw new IllegalArgumentException(
            "max ticks and duration must not be negative (0 = no limit), got "
                + s.maxTicks()
                + " and "
                + Durations.format(s.duration()));
      }
      if (!s.duration().isZero() && Long.MAX_VALUE - s.duration().toMillis() < s.startMillis()) {
        throw new IllegalArgumentException("start + duration is past the end of time");
      }
      return names.equals(s.symbols()) ? s : s.toBuilder().setSymbols(names).autoBuild();
    }
  }
}
