package io.tickstream.tick;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.joda.time.Instant;

/**
 * Reads one JSON record and checks it against the tick contract, field by field.
 *
 * <p>Rules (see README.md, "The tick contract"): {@code event_id} a non-empty string of at most 128
 * characters; {@code symbol} 1-12 characters of {@code A-Z 0-9 . - ^}; {@code price} a finite
 * number above zero; {@code volume} a whole number, zero or more ({@code 1000.0} is accepted as
 * 1000); {@code timestamp} an ISO-8601 string (see {@link TickTimestamps}); {@code market_cap} null
 * or a finite number, zero or more; {@code pe_ratio} null or a finite number. Unknown fields are
 * ignored. A duplicated field keeps its last value. Every failure names the field and the value.
 *
 * <p>Thread-safe: the parser keeps no state between calls.
 */
public final class TickParser {
  private static final int MAX_EVENT_ID_LENGTH = 128;
  private static final int MAX_SYMBOL_LENGTH = 12;
  private static final int MAX_SHOWN_VALUE = 40;

  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private TickParser() {}

  /**
   * Parses a UTF-8 payload; a payload that is not UTF-8 fails with {@code NOT_UTF8}. A flat object
   * of plain ASCII, what producers write, is read without Jackson ({@link FlatTickJson}); the
   * result is the same either way.
   */
  public static Tick parse(byte[] utf8) throws InvalidTickException {
    FlatTickJson.Fields flat = FlatTickJson.read(utf8);
    if (flat != null) {
      return validated(
          flat.eventId,
          flat.symbol,
          flat.price,
          flat.hasPrice,
          flat.volume,
          flat.hasVolume,
          flat.timestamp,
          flat.marketCap,
          flat.peRatio);
    }
    return parseWithJackson(utf8);
  }

  /** Parses a UTF-8 payload with Jackson, whatever its shape. */
  static Tick parseWithJackson(byte[] utf8) throws InvalidTickException {
    if (isAscii(utf8)) {
      // Plain ASCII is valid UTF-8: Jackson reads the bytes, no decoding or copying needed.
      return parse(utf8, null);
    }
    String text = decodeUtf8(utf8);
    if (text == null) {
      throw new InvalidTickException(TickErrorCode.NOT_UTF8, "payload is not valid UTF-8");
    }
    return parse(null, text);
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** The text of a strictly valid UTF-8 payload, or null when it is not valid UTF-8. */
  public static @javax.annotation.Nullable String decodeUtf8(byte[] utf8) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Parses one JSON object. */
  public static Tick parse(String json) throws InvalidTickException {
    return parse(null, json);
  }

  /** Parses one JSON object, given as ASCII bytes or as text (exactly one is non-null). */
  private static Tick parse(byte[] ascii, String json) throws InvalidTickException {
    String eventId = null;
    String symbol = null;
    double price = Double.NaN;
    boolean hasPrice = false;
    long volume = 0;
    boolean hasVolume = false;
    String timestamp = null;
    Double marketCap = null;
    Double peRatio = null;
    try (JsonParser p = ascii != null ? FACTORY.createParser(ascii) : FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new InvalidTickException(TickErrorCode.MALFORMED_JSON, "empty record");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new InvalidTickException(
            TickErrorCode.NOT_AN_OBJECT, "expected a JSON object, got " + describe(first));
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "event_id":
            eventId = string(p, v, name);
            break;
          case "symbol":
            symbol = string(p, v, name);
            break;
          case "price":
            hasPrice = v != JsonToken.VALUE_NULL;
            price = hasPrice ? number(p, v, name) : Double.NaN;
            break;
          case "volume":
            hasVolume = v != JsonToken.VALUE_NULL;
            volume = hasVolume ? wholeNumber(p, v, name) : 0;
            break;
          case "timestamp":
            timestamp = string(p, v, name);
            break;
          case "market_cap":
            marketCap = v == JsonToken.VALUE_NULL ? null : number(p, v, name);
            break;
          case "pe_ratio":
            peRatio = v == JsonToken.VALUE_NULL ? null : number(p, v, name);
            break;
          default:
            p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new InvalidTickException(TickErrorCode.MALFORMED_JSON, "object is not closed");
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new InvalidTickException(
            TickErrorCode.MALFORMED_JSON, "unexpected " + describe(trailing) + " after the object");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidTickException(
          TickErrorCode.MALFORMED_JSON, firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidTickException(TickErrorCode.MALFORMED_JSON, firstLine(e.getMessage()));
    }
    return validated(
        eventId, symbol, price, hasPrice, volume, hasVolume, timestamp, marketCap, peRatio);
  }

  /** The tick of these field values, or why they break the contract. */
  private static Tick validated(
      String eventId,
      String symbol,
      double price,
      boolean hasPrice,
      long volume,
      boolean hasVolume,
      String timestamp,
      Double marketCap,
      Double peRatio)
      throws InvalidTickException {
    require(eventId, "event_id");
    require(symbol, "symbol");
    require(hasPrice ? "" : null, "price");
    require(hasVolume ? "" : null, "volume");
    require(timestamp, "timestamp");

    if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH) {
      throw new InvalidTickException(
          TickErrorCode.BAD_EVENT_ID,
          "field 'event_id' must have 1 to "
              + MAX_EVENT_ID_LENGTH
              + " characters, got "
              + eventId.length());
    }
    if (!isValidSymbol(symbol)) {
      throw new InvalidTickException(
          TickErrorCode.BAD_SYMBOL,
          "field 'symbol' must be 1-12 characters of A-Z 0-9 . - ^, got " + quote(symbol));
    }
    if (Double.isNaN(price) || Double.isInfinite(price)) {
      throw new InvalidTickException(
          TickErrorCode.NON_FINITE_PRICE, "field 'price' must be finite, got " + price);
    }
    if (price <= 0) {
      throw new InvalidTickException(
          TickErrorCode.NON_POSITIVE_PRICE, "field 'price' must be > 0, got " + price);
    }
    if (volume < 0) {
      throw new InvalidTickException(
          TickErrorCode.NEGATIVE_VOLUME, "field 'volume' must be >= 0, got " + volume);
    }
    long millis;
    try {
      millis = TickTimestamps.parseMillis(timestamp);
    } catch (IllegalArgumentException e) {
      throw new InvalidTickException(
          TickErrorCode.BAD_TIMESTAMP,
          "field 'timestamp' is not ISO-8601 (" + e.getMessage() + "), got " + quote(timestamp));
    }
    if (marketCap != null && (!Double.isFinite(marketCap) || marketCap < 0)) {
      throw new InvalidTickException(
          TickErrorCode.BAD_MARKET_CAP,
          "field 'market_cap' must be a finite number >= 0 or null, got " + marketCap);
    }
    if (peRatio != null && !Double.isFinite(peRatio)) {
      throw new InvalidTickException(
          TickErrorCode.BAD_PE_RATIO, "field 'pe_ratio' must be finite or null, got " + peRatio);
    }
    return Tick.create(eventId, symbol, price, volume, new Instant(millis), marketCap, peRatio);
  }

  /** True when {@code s} is 1-12 characters of {@code A-Z 0-9 . - ^}. */
  public static boolean isValidSymbol(String s) {
    int n = s.length();
    if (n < 1 || n > MAX_SYMBOL_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '^';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void require(Object value, String field) throws InvalidTickException {
    if (value == null) {
      throw new InvalidTickException(
          TickErrorCode.MISSING_FIELD, "field '" + field + "' is missing or null");
    }
  }

  private static String string(JsonParser p, JsonToken v, String field)
      throws IOException, InvalidTickException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw badType(p, v, field, "a string");
    }
    return p.getText();
  }

  private static double number(JsonParser p, JsonToken v, String field)
      throws IOException, InvalidTickException {
    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
      throw badType(p, v, field, "a number");
    }
    return p.getDoubleValue();
  }

  private static long wholeNumber(JsonParser p, JsonToken v, String field)
      throws IOException, InvalidTickException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new InvalidTickException(
            TickErrorCode.BAD_TYPE, "field '" + field + "' is out of range, got " + p.getText());
      }
      return p.getLongValue();
    }
    if (v == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return (long) d;
      }
      throw new InvalidTickException(
          TickErrorCode.BAD_TYPE,
          "field '" + field + "' must be a whole number, got " + p.getText());
    }
    throw badType(p, v, field, "a whole number");
  }

  private static InvalidTickException badType(
      JsonParser p, JsonToken v, String field, String expected) throws IOException {
    String got = describe(v);
    if (v.isScalarValue()) {
      got += " " + quote(p.getText());
    }
    return new InvalidTickException(
        TickErrorCode.BAD_TYPE, "field '" + field + "' must be " + expected + ", got " + got);
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.asString() == null ? t.name() : "'" + t.asString() + "'";
    }
  }

  private static String quote(String s) {
    String shown = s.length() > MAX_SHOWN_VALUE ? s.substring(0, MAX_SHOWN_VALUE) + "..." : s;
    return "'" + shown + "'";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "not valid JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
