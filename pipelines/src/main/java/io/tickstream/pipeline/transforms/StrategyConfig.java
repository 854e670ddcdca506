package io.tickstream.pipeline.transforms;

import java.io.Serializable;

/**
 * The moving-average crossover strategy and its paper-trading rules.
 *
 * @param fast closes in the fast mean
 * @param slow closes in the slow mean; more than fast
 * @param notional dollars per position: qty = floor(notional / price)
 * @param feeBps fee in basis points of traded value, charged on entry and exit
 */
public record StrategyConfig(int fast, int slow, double notional, double feeBps)
    implements Serializable {

  public StrategyConfig {
    if (fast < 1 || slow <= fast) {
      throw new IllegalArgumentException(
          "need 1 <= fast < slow, got fast=" + fast + " slow=" + slow);
    }
    if (!(notional > 0) || Double.isInfinite(notional)) {
      throw new IllegalArgumentException("notional must be positive, got " + notional);
    }
    if (!(feeBps >= 0) || Double.isInfinite(feeBps)) {
      throw new IllegalArgumentException("fee must be 0 or more basis points, got " + feeBps);
    }
  }

  /** The default of {@code --fast}. */
  public static final int DEFAULT_FAST = 5;

  /** The default of {@code --slow}. */
  public static final int DEFAULT_SLOW = 20;

  /** The default of {@code --notional}, dollars. */
  public static final double DEFAULT_NOTIONAL = 10_000;

  /** The default of {@code --fee-bps}. */
  public static final double DEFAULT_FEE_BPS = 0;

  /** The defaults: SMA 5 over 20, $10,000 a position, no fees. */
  public static StrategyConfig defaults() {
    return new StrategyConfig(DEFAULT_FAST, DEFAULT_SLOW, DEFAULT_NOTIONAL, DEFAULT_FEE_BPS);
  }

  /** The strategy name stored with signals, positions and trades, e.g. {@code sma_5_20}. */
  public String name() {
    return "sma_" + fast + "_" + slow;
  }
}
