package io.tickstream.pipeline.transforms;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact running sum of {@code double × long} products, for sums whose value must not depend on
 * the order of the terms (a double sum's last bits do). Mutable; not thread-safe.
 *
 * <p>Every finite double is {@code m × 2^e} with an integer {@code m}, so the sum is kept as an
 * integer scaled by {@code 2^exponent}, the smallest exponent of any term: no decimal conversion,
 * which made {@code new BigDecimal(double)} the most expensive step of a bar. The integer is a
 * {@link BigInteger} plus a pending 128-bit part (two longs) that terms go into while they fit:
 * terms of one symbol's prices share an exponent or two, and a big-integer operation per tick was a
 * tenth of the bars step.
 */
final class ExactSum {
  /** The pending part is folded into {@link #units} before its magnitude can reach 2^126. */
  private static final long PENDING_LIMIT = 1L << 61;

  /** Terms shifted further than this go straight to {@link #units}. */
  private static final int MAX_PENDING_SHIFT = 10;

  private BigInteger units;
  private int exponent;
  private boolean started;

  /** High and low 64 bits of the pending two's-complement 128-bit part, at {@link #exponent}. */
  private long pendingHigh;

  private long pendingLow;

  /** Zero. */
  ExactSum() {
    this(BigInteger.ZERO, 0);
  }

  /** The sum {@code units × 2^exponent}, e.g. as decoded from state. */
  ExactSum(BigInteger units, int exponent) {
    this.units = units;
    this.exponent = exponent;
    this.started = units.signum() != 0;
  }

  /** Adds {@code value × times}; {@code value} must be finite. */
  void add(double value, long times) {
    if (value == 0 || times == 0) {
      return;
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite value: " + value);
    }
    long bits = Double.doubleToRawLongBits(value);
    int biased = (int) ((bits >>> 52) & 0x7ff);
    long mantissa = bits & 0x000f_ffff_ffff_ffffL;
    int e;
    if (biased == 0) {
      e = -1074; // subnormal: no implicit leading bit
    } else {
      mantissa |= 1L << 52;
      e = biased - 1075;
    }
    if (bits < 0) {
      mantissa = -mantissa;
    }
    if (!started) {
      exponent = e;
      started = true;
    } else if (e < exponent) {
      fold();
      units = units.shiftLeft(exponent - e);
      exponent = e;
    }
    int shift = e - exponent;
    // |mantissa| < 2^53, so with |times| < 2^62 and the shift bounded the term is below 2^125.
    if (shift > MAX_PENDING_SHIFT || times >= 1L << 62 || times <= -(1L << 62)) {
      units =
          units.add(
              BigInteger.valueOf(mantissa).multiply(BigInteger.valueOf(times)).shiftLeft(shift));
      return;
    }
    long high = Math.multiplyHigh(mantissa, times);
    long low = mantissa * times;
    if (shift > 0) {
      high = (high << shift) | (low >>> (64 - shift));
      low <<= shift;
    }
    if (pendingHigh >= PENDING_LIMIT || pendingHigh < -PENDING_LIMIT) {
      fold();
    }
    long sumLow = pendingLow + low;
    pendingHigh += high + (Long.compareUnsigned(sumLow, pendingLow) < 0 ? 1 : 0);
    pendingLow = sumLow;
  }

  /** Moves the pending part into {@link #units}. */
  private void fold() {
    units = units.add(pending());
    pendingHigh = 0;
    pendingLow = 0;
  }

  private BigInteger pending() {
    if (pendingHigh == 0 && pendingLow >= 0) {
      return BigInteger.valueOf(pendingLow);
    }
    BigInteger low =
        BigInteger.valueOf(pendingLow >>> 1).shiftLeft(1).or(BigInteger.valueOf(pendingLow & 1));
    return BigInteger.valueOf(pendingHigh).shiftLeft(64).add(low);
  }

  /** The sum divided by {@code divisor} (positive), rounded to 16 significant decimal digits. */
  BigDecimal dividedBy(long divisor) {
    BigInteger all = units();
    BigDecimal exact =
        exponent >= 0
            ? new BigDecimal(all.shiftLeft(exponent))
            // all / 2^k terminates in decimal, so this division is exact.
            : new BigDecimal(all).divide(new BigDecimal(BigInteger.ONE.shiftLeft(-exponent)));
    return exact.divide(BigDecimal.valueOf(divisor), MathContext.DECIMAL64);
  }

  /** The sum is {@code units() × 2^exponent()}. */
  BigInteger units() {
    return units.add(pending());
  }

  int exponent() {
    return exponent;
  }
}
