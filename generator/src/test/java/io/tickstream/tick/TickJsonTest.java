package io.tickstream.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TickJsonTest {
  private static String number(double v) {
    return TickJson.appendNumber(new StringBuilder(), v).toString();
  }

  /** What {@link TickJson#appendNumber} wrote before it had a fast path for short decimals. */
  private static String reference(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Test
  void everyPriceUpToTwoThousandIsWrittenAsDoubleToStringWritesIt() {
    // The simulator's prices have four decimals; every one of them from 0.0001 to 2,000.
    for (long units = 1; units <= 20_000_000; units++) {
      double price = units / 10_000.0;
      String written = number(price);
      if (!written.equals(reference(price))) {
        assertEquals(reference(price), written, "price " + units + " / 10^4");
      }
    }
  }

  @Test
  void anyNumberIsWrittenAsDoubleToStringWritesIt() {
    SplittableRandom random = new SplittableRandom(5);
    for (int n = 0; n < 1_000_000; n++) {
      double v;
      switch (n % 4) {
        case 0:
          v = Double.longBitsToDouble(random.nextLong());
          break;
        case 1:
          v = random.nextDouble(-1e7, 1e7);
          break;
        case 2:
          v = Math.round(random.nextDouble(-1e7, 1e7) * 100) / 100.0;
          break;
        default:
          int decimals = random.nextInt(12);
          v = random.nextLong(-100_000_000_000L, 100_000_000_000L) / Math.pow(10, decimals);
      }
      assertEquals(reference(v), number(v), "bits " + Double.doubleToRawLongBits(v));
    }
  }

  @Test
  void edgesOfTheFastPath() {
    for (double v :
        new double[] {
          0.001,
          0.0009999,
          -0.001,
          9_999_999.99999999,
          1e7 - 0.5,
          1e7 + 0.5,
          0.1,
          0.3,
          2.675,
          1.005,
          0.12345678,
          0.123456789,
          -0.0,
          5e-324,
          Double.MAX_VALUE,
          0.0010000000000000002
        }) {
      assertEquals(reference(v), number(v), "value " + v);
    }
  }
}
