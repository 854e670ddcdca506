package io.tickstream.pipeline.transforms;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact running sum of {@code double × long} products, for sums whose value must not depend on
 * the order of the terms (a double sum's last bits do). Mutable; not thread-safe.
 *
 * <p>Every finite double is {@code m × 2^e} with an integer {@code m}, so the sum is kept as one
 * big integer {@code units} scaled by {@code 2^exponent}, the smallest exponent of any term. Adding
 * a term is an integer multiply, shift and add: no decimal conversion, which made {@code new
 * BigDecimal(double)} the most expensive step of a bar.
 */
final class ExactSum {
  private BigInteger units;
  private int exponent;

  /** Zero. */
  ExactSum() {
    this(BigInteger.ZERO, 0);
  }

  /** The sum {@code units × 2^exponent}, e.g. as decoded from state. */
  ExactSum(BigInteger units, int exponent) {
    this.units = units;
    this.exponent = exponent;
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
    BigInteger term = BigInteger.valueOf(mantissa).multiply(BigInteger.valueOf(times));
    if (units.signum() == 0) {
      units = term;
      exponent = e;
    } else if (e >= exponent) {
      units = units.add(term.shiftLeft(e - exponent));
    } else {
      units = units.shiftLeft(exponent - e).add(term);
      exponent = e;
    }
  }

  /** The sum divided by {@code divisor} (positive), rounded to 16 significant decimal digits. */
  BigDecimal dividedBy(long divisor) {
    BigDecimal exact =
        exponent >= 0
            ? new BigDecimal(units.shiftLeft(exponent))
            // units / 2^k terminates in decimal, so this division is exact.
            : new BigDecimal(units).divide(new BigDecimal(BigInteger.ONE.shiftLeft(-exponent)));
    return exact.divide(BigDecimal.valueOf(divisor), MathContext.DECIMAL64);
  }

  BigInteger units() {
    return units;
  }

  int exponent() {
    return exponent;
  }
}
