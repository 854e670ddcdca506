package io.tickstream.tick;

import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;

/**
 * The fast path of {@link TickParser}: reads the tick fields of a record that is one flat JSON
 * object of plain ASCII, the shape every producer writes, without a general JSON parser. It gives
 * up, returning null, on anything else (escapes, non-ASCII or control bytes, booleans, nested or
 * non-numeric values, a whole number out of range, a fractional volume, a field of the wrong type,
 * malformed JSON) and the caller parses the record with Jackson, which also explains what is wrong.
 * Where it does not give up it reads what Jackson would: strings as written, numbers as {@link
 * Double#parseDouble} reads the literal, the last value of a repeated field.
 */
final class FlatTickJson {
  /** Most digits of a literal read without {@link Double#parseDouble}: 10^15 < 2^53. */
  private static final int MAX_EXACT_DIGITS = 15;

  /** 10^0 to 10^15, each exact as a double. */
  private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_DIGITS + 1];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int k = 1; k <= MAX_EXACT_DIGITS; k++) {
      POWERS_OF_TEN[k] = POWERS_OF_TEN[k - 1] * 10;
    }
  }

  /** Longest number literal read here; Jackson's own limit is far above. */
  private static final int MAX_NUMBER_LENGTH = 64;

  /** Digits of a whole number that always fits a long. */
  private static final int MAX_LONG_DIGITS = 18;

  private FlatTickJson() {}

  /** The raw tick fields of a record, before the contract's checks. */
  static final class Fields {
    @Nullable String eventId;
    @Nullable String symbol;
    double price = Double.NaN;
    boolean hasPrice;
    long volume;
    boolean hasVolume;
    @Nullable String timestamp;
    @Nullable Double marketCap;
    @Nullable Double peRatio;
  }

  /** The fields of a flat ASCII JSON object, or null when the record needs the full parser. */
  static @Nullable Fields read(byte[] b) {
    return new Reader(b).object();
  }

  /** One pass over the bytes; every method returns false or null to give up. */
  private static final class Reader {
    private final byte[] b;
    private int i;

    Reader(byte[] b) {
      this.b = b;
    }

    @Nullable
    Fields object() {
      Fields f = new Fields();
      skipSpace();
      if (!take('{')) {
        return null;
      }
      skipSpace();
      if (take('}')) {
        return end() ? f : null;
      }
      while (true) {
        skipSpace();
        int keyStart = i + 1;
        if (!string()) {
          return null;
        }
        int keyEnd = i - 1;
        skipSpace();
        if (!take(':')) {
          return null;
        }
        skipSpace();
        if (!field(f, keyStart, keyEnd)) {
          return null;
        }
        skipSpace();
        if (take('}')) {
          return end() ? f : null;
        }
        if (!take(',')) {
          return null;
        }
      }
    }

    /** Reads the value of the field named by bytes [from, to) into {@code f}. */
    private boolean field(Fields f, int from, int to) {
      int start = i;
      if (is("event_id", from, to)) {
        if (!stringOrNull()) {
          return false;
        }
        f.eventId = text(start);
        return true;
      }
      if (is("symbol", from, to)) {
        if (!stringOrNull()) {
          return false;
        }
        f.symbol = text(start);
        return true;
      }
      if (is("timestamp", from, to)) {
        if (!stringOrNull()) {
          return false;
        }
        f.timestamp = text(start);
        return true;
      }
      if (is("price", from, to)) {
        if (!numberOrNull()) {
          return false;
        }
        Double price = numberAt(start);
        f.hasPrice = price != null;
        f.price = f.hasPrice ? price : Double.NaN;
        return true;
      }
      if (is("volume", from, to)) {
        if (nullLiteral()) {
          f.hasVolume = false;
          f.volume = 0;
          return true;
        }
        if (number() != WHOLE || i - start - (b[start] == '-' ? 1 : 0) > MAX_LONG_DIGITS) {
          return false;
        }
        f.hasVolume = true;
        f.volume = Long.parseLong(ascii(start, i));
        return true;
      }
      if (is("market_cap", from, to)) {
        if (!numberOrNull()) {
          return false;
        }
        f.marketCap = numberAt(start);
        return true;
      }
      if (is("pe_ratio", from, to)) {
        if (!numberOrNull()) {
          return false;
        }
        f.peRatio = numberAt(start);
        return true;
      }
      // An unknown field: skipped, if it is a plain scalar.
      return peek() == '"' ? string() : numberOrNull();
    }

    /** A number or null next; the value is then {@link #numberAt} where it started. */
    private boolean numberOrNull() {
      return nullLiteral() || number() != NONE;
    }

    /**
     * The number that starts at {@code start}, or null for a null literal. Jackson reads a whole
     * literal as an integer first, so {@code -0} is 0.0, not the -0.0 of {@link
     * Double#parseDouble}; every other literal reads the same both ways.
     */
    private @Nullable Double numberAt(int start) {
      if (b[start] == 'n') {
        return null;
      }
      if (i - start == 2 && b[start] == '-' && b[start + 1] == '0') {
        return 0.0;
      }
      double exact = exactDecimal(start, i);
      return Double.isNaN(exact) ? Double.parseDouble(ascii(start, i)) : exact;
    }

    /**
     * The literal in {@code [from, to)} when it is a plain decimal (no exponent) of at most 15
     * digits, else NaN. Its digits as an integer and the power of ten to divide by are then both
     * exact doubles, so one division is correctly rounded: the value {@link Double#parseDouble}
     * gives (Clinger's fast path), at a fraction of the cost.
     */
    private double exactDecimal(int from, int to) {
      boolean negative = b[from] == '-';
      long digits = 0;
      int count = 0;
      int decimals = -1;
      for (int k = negative ? from + 1 : from; k < to; k++) {
        byte c = b[k];
        if (c == '.') {
          decimals = 0;
        } else if (c >= '0' && c <= '9' && ++count <= MAX_EXACT_DIGITS) {
          digits = digits * 10 + (c - '0');
          if (decimals >= 0) {
            decimals++;
          }
        } else {
          return Double.NaN;
        }
      }
      double value = decimals > 0 ? digits / POWERS_OF_TEN[decimals] : (double) digits;
      return negative ? -value : value;
    }

    /** A string or null next; the value is then {@link #text} of where it started. */
    private boolean stringOrNull() {
      return nullLiteral() || (peek() == '"' && string());
    }

    /** The string that starts at {@code start}, or null for a null literal. */
    private @Nullable String text(int start) {
      return b[start] == '"' ? ascii(start + 1, i - 1) : null;
    }

    /** A string of printable ASCII without escapes, quotes included. */
    private boolean string() {
      if (!take('"')) {
        return false;
      }
      while (i < b.length) {
        byte c = b[i++];
        if (c == '"') {
          return true;
        }
        if (c < 0x20 || c == '\\' || c == 0x7f) {
          return false;
        }
      }
      return false;
    }

    private static final int NONE = 0;
    private static final int WHOLE = 1;
    private static final int FRACTIONAL = 2;

    /**
     * A JSON number literal followed by a delimiter: {@link #WHOLE}, {@link #FRACTIONAL} or not.
     */
    private int number() {
      int start = i;
      take('-');
      if (take('0')) {
        // no more digits may follow a leading zero
      } else if (!digits()) {
        return NONE;
      }
      int kind = WHOLE;
      if (take('.')) {
        if (!digits()) {
          return NONE;
        }
        kind = FRACTIONAL;
      }
      if (peek() == 'e' || peek() == 'E') {
        i++;
        if (!take('+')) {
          take('-');
        }
        if (!digits()) {
          return NONE;
        }
        kind = FRACTIONAL;
      }
      if (i - start > MAX_NUMBER_LENGTH || !delimiter()) {
        return NONE;
      }
      return kind;
    }

    private boolean digits() {
      int start = i;
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      return i > start;
    }

    private boolean nullLiteral() {
      if (i + 4 <= b.length
          && b[i] == 'n'
          && b[i + 1] == 'u'
          && b[i + 2] == 'l'
          && b[i + 3] == 'l') {
        i += 4;
        if (delimiter()) {
          return true;
        }
        i -= 4;
      }
      return false;
    }

    /** Whether the next byte ends a value: JSON whitespace, a comma or a closing brace. */
    private boolean delimiter() {
      int c = peek();
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '}';
    }

    /** Nothing but whitespace after the object. */
    private boolean end() {
      skipSpace();
      return i == b.length;
    }

    private void skipSpace() {
      while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
        i++;
      }
    }

    private boolean take(char c) {
      if (i < b.length && b[i] == c) {
        i++;
        return true;
      }
      return false;
    }

    private int peek() {
      return i < b.length ? b[i] : -1;
    }

    private boolean is(String name, int from, int to) {
      if (to - from != name.length()) {
        return false;
      }
      for (int k = 0; k < name.length(); k++) {
        if (b[from + k] != name.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    private String ascii(int from, int to) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }
}
