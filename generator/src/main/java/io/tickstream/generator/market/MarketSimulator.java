package io.tickstream.generator.market;

import io.tickstream.generator.TickSource;
import io.tickstream.tick.Tick;
import java.util.List;
import java.util.SplittableRandom;
import javax.annotation.Nullable;
import org.joda.time.Instant;

/**
 * Simulates ticks for a set of instruments on a simulated clock.
 *
 * <p>Each symbol follows a geometric Brownian motion with its own drift mu and volatility sigma
 * (annualised over calendar time): per step of dt years, {@code ln S += (mu - sigma^2/2) dt + sigma
 * sqrt(dt) Z}. Volumes are log-normal around the symbol's median trade size; {@code market_cap =
 * price x shares outstanding} and {@code pe_ratio = price / EPS}. Each symbol ticks {@code
 * ticksPerMinute} times a simulated minute; symbols are staggered evenly inside each interval, so
 * the output is in event-time order.
 *
 * <p>Everything derives from the seed: each symbol has its own random stream seeded from (seed,
 * symbol position), so the output is byte-identical for the same arguments, and a subset of the
 * symbols can be simulated on its own (as parallel pipeline sources do) with the same ticks.
 */
public final class MarketSimulator implements TickSource {
  /** Milliseconds in a calendar year of 365.25 days: the unit of drift and volatility. */
  static final double MILLIS_PER_YEAR = 365.25 * 24 * 3600 * 1000;

  private static final double VOLUME_SIGMA = 0.8;
  private static final long SEED_MIX = 0x9E3779B97F4A7C15L;

  private final SymbolState[] symbols;
  private final long startMillis;
  private final double intervalMillis;
  private final long endMillis;
  private final double[] driftStep;
  private final double[] diffusionStep;
  private long round;
  private int next;

  /**
   * @param profiles the instruments, in a fixed order (their positions seed their random streams)
   * @param startMillis simulated epoch millis of the first tick
   * @param ticksPerMinute ticks per symbol per simulated minute, 1 to 60,000
   * @param endMillis simulated time (exclusive) at which the source ends, or Long.MAX_VALUE
   * @param seed the seed all randomness derives from
   */
  public MarketSimulator(
      List<SymbolProfile> profiles,
      long startMillis,
      int ticksPerMinute,
      long endMillis,
      long seed) {
    this(profiles, 0, profiles.size(), startMillis, ticksPerMinute, endMillis, seed);
  }

  /**
   * Simulates only the profiles at positions {@code [from, to)} of the full list, producing exactly
   * the ticks the full simulator produces for them.
   */
  public MarketSimulator(
      List<SymbolProfile> profiles,
      int from,
      int to,
      long startMillis,
      int ticksPerMinute,
      long endMillis,
      long seed) {
    if (ticksPerMinute < 1 || ticksPerMinute > 60_000) {
      throw new IllegalArgumentException(
          "ticks per minute must be 1 to 60000, got " + ticksPerMinute);
    }
    if (from < 0 || to > profiles.size() || from >= to) {
      throw new IllegalArgumentException("bad symbol range [" + from + ", " + to + ")");
    }
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.intervalMillis = 60_000.0 / ticksPerMinute;
    double dtYears = intervalMillis / MILLIS_PER_YEAR;
    int n = to - from;
    this.symbols = new SymbolState[n];
    this.driftStep = new double[n];
    this.diffusionStep = new double[n];
    int total = profiles.size();
    for (int i = 0; i < n; i++) {
      int position = from + i;
      SymbolProfile p = profiles.get(position);
      long offset = (long) Math.floor(position * intervalMillis / total);
      symbols[i] =
          new SymbolState(p, offset, new SplittableRandom(seed ^ (SEED_MIX * (position + 1))));
      driftStep[i] = (p.drift() - 0.5 * p.volatility() * p.volatility()) * dtYears;
      diffusionStep[i] = p.volatility() * Math.sqrt(dtYears);
    }
  }

  /** Years of simulated time between two ticks of one symbol. */
  public double stepYears() {
    return intervalMillis / MILLIS_PER_YEAR;
  }

  @Override
  public @Nullable Tick next() {
    SymbolState s = symbols[next];
    long t = startMillis + (long) Math.floor(round * intervalMillis) + s.offsetMillis;
    if (t >= endMillis) {
      return null;
    }
    Tick tick = s.tick(t, round, driftStep[next], diffusionStep[next]);
    if (++next == symbols.length) {
      next = 0;
      round++;
    }
    return tick;
  }

  /** The random state of one symbol. */
  private static final class SymbolState {
    final SymbolProfile profile;
    final long offsetMillis;
    final SplittableRandom random;
    final String idPrefix;
    double price;

    SymbolState(SymbolProfile profile, long offsetMillis, SplittableRandom random) {
      this.profile = profile;
      this.offsetMillis = offsetMillis;
      this.random = random;
      this.idPrefix = profile.symbol() + "-";
      this.price = profile.startPrice();
    }

    Tick tick(long timeMillis, long sequence, double drift, double diffusion) {
      if (sequence > 0) {
        price *= Math.exp(drift + diffusion * random.nextGaussian());
      }
      // The contract's smallest price; market cap and P/E describe the price shown, floor included.
      double shown = Math.max(Math.round(price * 10_000) / 10_000.0, 0.0001);
      long volume =
          Math.round(profile.medianTradeSize() * Math.exp(VOLUME_SIGMA * random.nextGaussian()));
      double marketCap = Math.rint(shown * profile.sharesOutstanding());
      double pe = Math.round(shown / profile.earningsPerShare() * 100) / 100.0;
      return Tick.create(
          idPrefix + sequence,
          profile.symbol(),
          shown,
          volume,
          new Instant(timeMillis),
          marketCap,
          pe);
    }
  }
}
