package io.tickstream.generator.market;

import io.tickstream.tick.TickParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The instruments to simulate: twenty real large caps with plausible 2025 prices, share counts,
 * earnings and volatilities, and synthetic ones ({@code SYN0001}, ...) derived from the seed when
 * more are asked for or an unknown ticker is named.
 */
public final class Universe {
  private static final Map<String, SymbolProfile> KNOWN = new LinkedHashMap<>();

  static {
    // symbol, price, drift, volatility, shares outstanding, EPS, median trade size
    known("AAPL", 195.0, 0.10, 0.25, 15.0e9, 6.60, 200);
    known("MSFT", 420.0, 0.10, 0.22, 7.43e9, 12.00, 100);
    known("GOOGL", 170.0, 0.10, 0.28, 12.2e9, 8.00, 150);
    known("AMZN", 190.0, 0.12, 0.30, 10.5e9, 5.50, 150);
    known("NVDA", 130.0, 0.25, 0.50, 24.4e9, 2.90, 400);
    known("META", 560.0, 0.15, 0.35, 2.52e9, 22.50, 80);
    known("TSLA", 250.0, 0.10, 0.60, 3.20e9, 3.60, 250);
    known("BRK.B", 450.0, 0.08, 0.15, 2.15e9, 30.00, 50);
    known("JPM", 210.0, 0.08, 0.22, 2.85e9, 17.00, 100);
    known("V", 280.0, 0.08, 0.18, 1.95e9, 9.90, 80);
    known("JNJ", 155.0, 0.04, 0.15, 2.40e9, 5.80, 100);
    known("WMT", 80.0, 0.07, 0.18, 8.00e9, 2.40, 300);
    known("PG", 165.0, 0.05, 0.15, 2.35e9, 6.40, 100);
    known("XOM", 115.0, 0.05, 0.25, 4.40e9, 8.00, 200);
    known("MA", 470.0, 0.09, 0.20, 0.92e9, 13.50, 50);
    known("UNH", 520.0, 0.06, 0.25, 0.92e9, 24.00, 50);
    known("HD", 380.0, 0.06, 0.22, 0.99e9, 15.00, 60);
    known("KO", 62.0, 0.04, 0.14, 4.30e9, 2.50, 300);
    known("PEP", 165.0, 0.04, 0.15, 1.37e9, 6.60, 100);
    known("DIS", 100.0, 0.05, 0.28, 1.82e9, 2.70, 150);
  }

  private Universe() {}

  private static void known(
      String s, double price, double mu, double sigma, double shares, double eps, double size) {
    KNOWN.put(s, new SymbolProfile(s, price, mu, sigma, shares, eps, size));
  }

  /** The built-in tickers, in their fixed order. */
  public static List<String> knownSymbols() {
    return List.copyOf(KNOWN.keySet());
  }

  /**
   * The first {@code count} instruments: the built-in tickers first, then synthetic ones.
   *
   * @throws IllegalArgumentException if count is below 1
   */
  public static List<SymbolProfile> first(int count, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one symbol is needed, got " + count);
    }
    List<SymbolProfile> out = new ArrayList<>(count);
    for (SymbolProfile p : KNOWN.values()) {
      if (out.size() == count) {
        return out;
      }
      out.add(p);
    }
    for (int i = 1; out.size() < count; i++) {
      out.add(synthetic(String.format(Locale.ROOT, "SYN%04d", i), seed));
    }
    return out;
  }

  /**
   * The named instruments, in the given order: built-in profiles for known tickers, synthetic ones
   * for the rest.
   *
   * @throws IllegalArgumentException naming the first symbol that breaks the contract
   */
  public static List<SymbolProfile> named(List<String> symbols, long seed) {
    List<SymbolProfile> out = new ArrayList<>(symbols.size());
    for (String raw : symbols) {
      String s = raw.trim().toUpperCase(Locale.ROOT);
      if (!TickParser.isValidSymbol(s)) {
        throw new IllegalArgumentException(
            "'" + raw + "' is not a symbol (1-12 characters of A-Z 0-9 . - ^)");
      }
      if (out.stream().anyMatch(p -> p.symbol().equals(s))) {
        throw new IllegalArgumentException("'" + s + "' is named twice");
      }
      SymbolProfile known = KNOWN.get(s);
      out.add(known != null ? known : synthetic(s, seed));
    }
    return out;
  }

  /** A plausible profile derived only from the symbol and the seed. */
  static SymbolProfile synthetic(String symbol, long seed) {
    SplittableRandom r = new SplittableRandom(seed * 31 + symbol.hashCode());
    double price = Math.exp(Math.log(5) + r.nextDouble() * Math.log(100)); // 5 .. 500
    double volatility = 0.15 + r.nextDouble() * 0.45;
    double drift = -0.05 + r.nextDouble() * 0.25;
    double shares = 1e8 + r.nextDouble() * 4.9e9;
    double pe = 8 + r.nextDouble() * 32;
    double size = 50 + r.nextInt(450);
    return new SymbolProfile(symbol, round2(price), drift, volatility, shares, price / pe, size);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
