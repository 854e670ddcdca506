package io.tickstream.pipeline.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
  /** The reference: the same sum in BigDecimal, which holds every double exactly. */
  private static BigDecimal reference(List<double[]> terms, long divisor) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double[] t : terms) {
      sum = sum.add(new BigDecimal(t[0]).multiply(BigDecimal.valueOf((long) t[1])));
    }
    return sum.divide(BigDecimal.valueOf(divisor), MathContext.DECIMAL64);
  }

  @Test
  void equalsTheExactDecimalSumAndDoesNotDependOnOrder() {
    Random random = new Random(42);
    List<double[]> terms = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      double price = Math.exp(random.nextGaussian() * 3) * 100; // 0.01 .. 1e6, many exponents
      long volume = random.nextInt(5) == 0 ? 0 : (long) (random.nextDouble() * 1_000_000);
      terms.add(new double[] {price, volume});
    }
    terms.add(new double[] {Double.MIN_VALUE, 3}); // subnormal
    terms.add(new double[] {-12.5, 7}); // negative
    BigDecimal expected = reference(terms, 997);
    for (int shuffle = 0; shuffle < 5; shuffle++) {
      Collections.shuffle(terms, random);
      ExactSum sum = new ExactSum();
      for (double[] t : terms) {
        sum.add(t[0], (long) t[1]);
      }
      assertEquals(expected, sum.dividedBy(997));
    }
  }

  @Test
  void largeTermsOfOneExponentStayExact() {
    // Terms near the 128-bit part's limits: big mantissas times big counts, many of them, both
    // signs, and exponents a few steps apart, so the part is shifted, folded and carried.
    Random random = new Random(7);
    List<long[]> terms = new ArrayList<>(); // {price bits, times}
    for (int i = 0; i < 5_000; i++) {
      double price = (1 + random.nextDouble()) * (1 << random.nextInt(12));
      long times = random.nextBoolean() ? (1L << 61) - random.nextInt(1000) : random.nextInt(1000);
      double signed = random.nextInt(4) == 0 ? -price : price;
      terms.add(new long[] {Double.doubleToLongBits(signed), times});
    }
    for (int shuffle = 0; shuffle < 3; shuffle++) {
      Collections.shuffle(terms, random);
      ExactSum sum = new ExactSum();
      BigDecimal exact = BigDecimal.ZERO;
      for (long[] t : terms) {
        double price = Double.longBitsToDouble(t[0]);
        sum.add(price, t[1]);
        exact = exact.add(new BigDecimal(price).multiply(BigDecimal.valueOf(t[1])));
      }
      assertEquals(exact.divide(BigDecimal.valueOf(3), MathContext.DECIMAL64), sum.dividedBy(3));
      BigDecimal units = new BigDecimal(sum.units());
      BigDecimal scale = new BigDecimal(2).pow(Math.abs(sum.exponent()));
      assertEquals(
          0,
          exact.compareTo(sum.exponent() < 0 ? units.divide(scale) : units.multiply(scale)),
          "units x 2^exponent is the sum");
    }
  }

  @Test
  void doubleSumsWouldNotBeOrderIndependent() {
    // The reason for this class: the same three terms in another order give another double.
    assertEquals(0.6, 0.1 + 0.2 + 0.3, 1e-15);
    assertEquals(false, (0.1 + 0.2) + 0.3 == 0.1 + (0.2 + 0.3));
    ExactSum a = new ExactSum();
    a.add(0.1, 1);
    a.add(0.2, 1);
    a.add(0.3, 1);
    ExactSum b = new ExactSum();
    b.add(0.3, 1);
    b.add(0.2, 1);
    b.add(0.1, 1);
    assertEquals(a.dividedBy(1), b.dividedBy(1));
    assertEquals(new BigDecimal("0.6000000000000000"), a.dividedBy(1));
  }

  @Test
  void zeroTermsAndTheEmptySum() {
    ExactSum sum = new ExactSum();
    sum.add(0.0, 5);
    sum.add(12.25, 0);
    assertEquals(0, sum.dividedBy(3).signum());
    sum.add(12.25, 4);
    assertEquals(new BigDecimal("49"), sum.dividedBy(1).stripTrailingZeros());
  }

  @Test
  void rejectsNonFiniteValues() {
    assertThrows(IllegalArgumentException.class, () -> new ExactSum().add(Double.NaN, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new ExactSum().add(Double.POSITIVE_INFINITY, 1));
  }
}
