package io.tickstream.tick;

/**
 * Writes a {@link Tick} as one JSON object in the contract's field order, without a JSON library:
 * the generator writes hundreds of thousands of these a second.
 *
 * <p>Field values never need escaping beyond what {@link #appendString} does: symbols are
 * restricted to {@code A-Z 0-9 . - ^}, and event ids are escaped.
 */
public final class TickJson {
  private TickJson() {}

  /** The tick as one line of JSON, without a line terminator. */
  public static String toJson(Tick t) {
    return append(new StringBuilder(160), t).toString();
  }

  /** Appends the tick as JSON to {@code sb}, without a line terminator. */
  public static StringBuilder append(StringBuilder sb, Tick t) {
    sb.append("{\"event_id\":");
    appendString(sb, t.getEventId());
    sb.append(",\"symbol\":");
    appendString(sb, t.getSymbol());
    sb.append(",\"price\":");
    appendNumber(sb, t.getPrice());
    sb.append(",\"volume\":").append(t.getVolume());
    sb.append(",\"timestamp\":\"");
    TickTimestamps.appendIso(sb, t.timestampMillis()).append('"');
    sb.append(",\"market_cap\":");
    appendNullableNumber(sb, t.getMarketCap());
    sb.append(",\"pe_ratio\":");
    appendNullableNumber(sb, t.getPeRatio());
    return sb.append('}');
  }

  /**
   * Appends a JSON number. Integral values within the exact range of a double are written without a
   * fraction or exponent ({@code 2500000000} rather than {@code 2.5E9}), as Python producers do.
   * NaN and infinities are written as the bare tokens {@code NaN} / {@code Infinity}, which is what
   * Python's {@code json.dumps} emits and what {@link TickParser} rejects with a precise reason.
   */
  public static StringBuilder appendNumber(StringBuilder sb, double v) {
    if (Double.isNaN(v)) {
      return sb.append("NaN");
    }
    if (Double.isInfinite(v)) {
      return sb.append(v > 0 ? "Infinity" : "-Infinity");
    }
    if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) {
      return sb.append((long) v);
    }
    return appendShortDecimal(sb, v) ? sb : sb.append(v);
  }

  /** Most decimals {@link #appendShortDecimal} writes. */
  private static final int MAX_DECIMALS = 8;

  /** 10^0 to 10^{@value #MAX_DECIMALS}. */
  private static final long[] POWERS_OF_TEN = new long[MAX_DECIMALS + 1];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int k = 1; k <= MAX_DECIMALS; k++) {
      POWERS_OF_TEN[k] = POWERS_OF_TEN[k - 1] * 10;
    }
  }

  /**
   * Appends {@code v} (not integral) as {@link Double#toString} would, if it is between 10^-3 and
   * 10^7 in magnitude (where that writes no exponent) and has at most {@value #MAX_DECIMALS}
   * decimals, as prices, P/E ratios and most producers' numbers do; returns false otherwise. At
   * most one decimal of that many places is within half a double's spacing of {@code v} there, so
   * it is the shortest that reads back as {@code v}, which is what {@link Double#toString} writes:
   * a test compares the two over every such price. {@link Double#toString} itself was a fifth of
   * the generator's time.
   */
  private static boolean appendShortDecimal(StringBuilder sb, double v) {
    double magnitude = Math.abs(v);
    if (!(magnitude >= 1e-3 && magnitude < 1e7)) {
      return false;
    }
    for (int decimals = 1; decimals <= MAX_DECIMALS; decimals++) {
      long unit = POWERS_OF_TEN[decimals];
      long scaled = Math.round(magnitude * unit);
      // scaled < 10^15 < 2^53 and unit are exact doubles, so the division is correctly rounded.
      if (scaled / (double) unit == magnitude) {
        if (v < 0) {
          sb.append('-');
        }
        sb.append(scaled / unit).append('.');
        long fraction = scaled % unit;
        for (long place = unit / 10; fraction < place; place /= 10) {
          sb.append('0');
        }
        sb.append(fraction);
        return true;
      }
    }
    return false;
  }

  private static void appendNullableNumber(StringBuilder sb, Double v) {
    if (v == null) {
      sb.append("null");
    } else {
      appendNumber(sb, v);
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static StringBuilder appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"');
  }
}
