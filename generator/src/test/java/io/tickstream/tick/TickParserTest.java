package io.tickstream.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tick contract as {@link TickParser} enforces it: what parses, and why the rest does not. */
class TickParserTest {
  /** The sample record of the project issue, plus the event id the contract requires. */
  private static final String SAMPLE =
      "{\"event_id\":\"AAPL-1\",\"symbol\":\"AAPL\",\"price\":150.25,\"volume\":1000000,"
          + "\"timestamp\":\"2025-06-29T14:36:16.123456\",\"market_cap\":2500000000,"
          + "\"pe_ratio\":28.5}";

  private static final String VALID_TIME = "\"timestamp\":\"2025-06-29T14:36:16Z\"";

  @Test
  void sampleRecordParsesWithMicrosecondsTruncatedToMillis() throws Exception {
    Tick t = TickParser.parse(SAMPLE);

    assertEquals(
        Tick.create(
            "AAPL-1",
            "AAPL",
            150.25,
            1_000_000,
            Instant.parse("2025-06-29T14:36:16.123Z"),
            2.5e9,
            28.5),
        t);
    assertEquals("2025-06-29T14:36:16.123Z", TickTimestamps.formatIso(t.timestampMillis()));
    assertEquals(
        "{\"event_id\":\"AAPL-1\",\"symbol\":\"AAPL\",\"price\":150.25,\"volume\":1000000,"
            + "\"timestamp\":\"2025-06-29T14:36:16.123Z\",\"market_cap\":2500000000,"
            + "\"pe_ratio\":28.5}",
        TickJson.toJson(t),
        "integral numbers are written without an exponent");
  }

  @Test
  void unknownFieldsOfAnyShapeAreIgnored() throws Exception {
    String json =
        SAMPLE.replace(
            "{\"event_id\"",
            "{\"exchange\":\"NASDAQ\",\"tags\":[1,{\"a\":[]}],\"meta\":{\"price\":\"x\"},"
                + "\"flag\":true,\"none\":null,\"event_id\"");

    assertEquals(TickParser.parse(SAMPLE), TickParser.parse(json));
  }

  @Test
  void nullOrAbsentMarketCapAndPeRatioAreUnknown() throws Exception {
    String nulls = SAMPLE.replace("2500000000", "null").replace("28.5", "null");
    String absent =
        "{\"event_id\":\"AAPL-1\",\"symbol\":\"AAPL\",\"price\":150.25,\"volume\":1000000,"
            + VALID_TIME
            + "}";

    for (String json : List.of(nulls, absent)) {
      Tick t = TickParser.parse(json);
      assertNull(t.getMarketCap(), json);
      assertNull(t.getPeRatio(), json);
    }
  }

  @Test
  void wholeVolumeWrittenAsDecimalAndNegativePeRatioAreValid() throws Exception {
    Tick t = TickParser.parse(SAMPLE.replace("1000000", "1000000.0").replace("28.5", "-3.25"));

    assertEquals(1_000_000, t.getVolume());
    assertEquals(-3.25, t.getPeRatio());
  }

  @Test
  void aRepeatedFieldKeepsItsLastValue() throws Exception {
    Tick t = TickParser.parse(SAMPLE.replace("\"price\":150.25", "\"price\":1,\"price\":150.25"));

    assertEquals(150.25, t.getPrice());
  }

  @Test
  void utf8BytesParseLikeTheirText() throws Exception {
    String json = SAMPLE.replace("AAPL-1", "AAPL-\u00e9\u20ac\uD83D\uDCC8");

    Tick fromBytes = TickParser.parse(json.getBytes(StandardCharsets.UTF_8));

    assertEquals(TickParser.parse(json), fromBytes);
    assertEquals("AAPL-\u00e9\u20ac\uD83D\uDCC8", fromBytes.getEventId());
  }

  /** Seeded random ticks, edge values included, survive write then parse unchanged. */
  @Test
  void everyWrittenTickParsesBackToAnEqualTick() throws Exception {
    SplittableRandom r = new SplittableRandom(20250629);
    String[] symbols = {"AAPL", "BRK.B", "^SPX", "RDS-A", "X", "ABCDEFGHIJKL", "7203"};
    String[] ids = {
      "id-\"quoted\"", "back\\slash", "tab\tnew\nline\r", "\u0001ctl", "\u00e9\u20ac"
    };
    double[] prices = {1e-9, 0.0001, 1, 150.25, 1e15, 9.007199254740993e15, 1.7e308};
    for (int i = 0; i < 20_000; i++) {
      String id = i % 10 == 0 ? ids[i / 10 % ids.length] + i : "S-" + i;
      double price = i % 7 == 0 ? prices[i / 7 % prices.length] : Math.exp(r.nextDouble(-20, 20));
      long volume = i % 11 == 0 ? Long.MAX_VALUE : r.nextLong(0, 10_000_000_000L);
      long millis = r.nextLong(-2_208_988_800_000L, 4_102_444_800_000L); // 1900 .. 2100
      Double cap = i % 3 == 0 ? null : i % 5 == 0 ? 0.0 : r.nextDouble(0, 1e13);
      Double pe = i % 4 == 0 ? null : r.nextDouble(-500, 500);
      Tick t =
          Tick.create(id, symbols[i % symbols.length], price, volume, new Instant(millis), cap, pe);
      String json = TickJson.toJson(t);

      assertEquals(t, TickParser.parse(json), json);
      assertEquals(t, TickParser.parse(json.getBytes(StandardCharsets.UTF_8)), json);
    }
  }

  static List<Arguments> invalidRecords() {
    String ok =
        "{\"event_id\":\"E-1\",\"symbol\":\"AAPL\",\"price\":150.25,\"volume\":100," + VALID_TIME;
    return List.of(
        // Not JSON at all, or more than one value.
        rejects("", TickErrorCode.MALFORMED_JSON, "empty"),
        rejects("   \n", TickErrorCode.MALFORMED_JSON, "empty"),
        rejects(ok + "} trailing", TickErrorCode.MALFORMED_JSON, "trailing"),
        rejects(ok + "}{}", TickErrorCode.MALFORMED_JSON, "after the object"),
        rejects(ok, TickErrorCode.MALFORMED_JSON, "end-of-input"),
        rejects(ok + ",}", TickErrorCode.MALFORMED_JSON, ""),
        rejects("{\"symbol\" \"AAPL\"}", TickErrorCode.MALFORMED_JSON, ""),
        // JSON, but not an object.
        rejects("[" + ok + "}]", TickErrorCode.NOT_AN_OBJECT, "an array"),
        rejects("\"AAPL\"", TickErrorCode.NOT_AN_OBJECT, "a string"),
        rejects("150.25", TickErrorCode.NOT_AN_OBJECT, "a number"),
        rejects("null", TickErrorCode.NOT_AN_OBJECT, "null"),
        // Required fields absent or null.
        rejects(
            ok.replace("\"event_id\":\"E-1\",", "") + "}",
            TickErrorCode.MISSING_FIELD,
            "'event_id'"),
        rejects(ok.replace("\"AAPL\"", "null") + "}", TickErrorCode.MISSING_FIELD, "'symbol'"),
        rejects(ok.replace("\"price\":150.25,", "") + "}", TickErrorCode.MISSING_FIELD, "'price'"),
        rejects(ok.replace("150.25", "null") + "}", TickErrorCode.MISSING_FIELD, "'price'"),
        rejects(ok.replace("\"volume\":100,", "") + "}", TickErrorCode.MISSING_FIELD, "'volume'"),
        rejects(ok.replace("," + VALID_TIME, "") + "}", TickErrorCode.MISSING_FIELD, "'timestamp'"),
        // Wrong JSON types.
        rejects(
            ok.replace("150.25", "\"150.25\"") + "}",
            TickErrorCode.BAD_TYPE,
            "field 'price' must be a number, got a string '150.25'"),
        rejects(
            ok.replace("100", "1.5") + "}",
            TickErrorCode.BAD_TYPE,
            "field 'volume' must be a whole number, got 1.5"),
        rejects(ok.replace("100", "\"100\"") + "}", TickErrorCode.BAD_TYPE, "'volume'"),
        rejects(
            ok.replace("100", "123456789012345678901234") + "}",
            TickErrorCode.BAD_TYPE,
            "'volume' is out of range, got 123456789012345678901234"),
        rejects(
            ok.replace("\"AAPL\"", "42") + "}",
            TickErrorCode.BAD_TYPE,
            "field 'symbol' must be a string, got a number '42'"),
        rejects(
            ok.replace("\"E-1\"", "[\"E-1\"]") + "}",
            TickErrorCode.BAD_TYPE,
            "field 'event_id' must be a string, got an array"),
        rejects(
            ok.replace("150.25", "true") + "}",
            TickErrorCode.BAD_TYPE,
            "field 'price' must be a number, got a boolean 'true'"),
        rejects(ok + ",\"market_cap\":\"big\"}", TickErrorCode.BAD_TYPE, "'market_cap'"),
        rejects(ok + ",\"pe_ratio\":{}}", TickErrorCode.BAD_TYPE, "'pe_ratio'"),
        // Values out of the contract's range.
        rejects(
            ok.replace("\"E-1\"", "\"\"") + "}",
            TickErrorCode.BAD_EVENT_ID,
            "'event_id' must have 1 to 128 characters, got 0"),
        rejects(ok.replace("E-1", "E".repeat(129)) + "}", TickErrorCode.BAD_EVENT_ID, "got 129"),
        rejects(ok.replace("AAPL", "aapl") + "}", TickErrorCode.BAD_SYMBOL, "'aapl'"),
        rejects(
            ok.replace("AAPL", "ABCDEFGHIJKLM") + "}", TickErrorCode.BAD_SYMBOL, "'ABCDEFGHIJKLM'"),
        rejects(ok.replace("AAPL", "BRK B") + "}", TickErrorCode.BAD_SYMBOL, "'BRK B'"),
        rejects(
            ok.replace("150.25", "0") + "}",
            TickErrorCode.NON_POSITIVE_PRICE,
            "field 'price' must be > 0, got 0.0"),
        rejects(
            ok.replace("150.25", "-150.25") + "}", TickErrorCode.NON_POSITIVE_PRICE, "got -150.25"),
        rejects(
            ok.replace("150.25", "NaN") + "}",
            TickErrorCode.NON_FINITE_PRICE,
            "field 'price' must be finite, got NaN"),
        rejects(
            ok.replace("150.25", "Infinity") + "}", TickErrorCode.NON_FINITE_PRICE, "got Infinity"),
        rejects(
            ok.replace("150.25", "-Infinity") + "}",
            TickErrorCode.NON_FINITE_PRICE,
            "got -Infinity"),
        rejects(
            ok.replace("100", "-1") + "}",
            TickErrorCode.NEGATIVE_VOLUME,
            "field 'volume' must be >= 0, got -1"),
        rejects(
            ok.replace("2025-06-29T14:36:16Z", "29/06/2025 14:36") + "}",
            TickErrorCode.BAD_TIMESTAMP,
            "field 'timestamp' is not ISO-8601"),
        rejects(
            ok.replace("2025-06-29", "2025-02-30") + "}",
            TickErrorCode.BAD_TIMESTAMP,
            "'2025-02-30T14:36:16Z'"),
        rejects(
            ok.replace("2025-06-29T14:36:16Z", "") + "}", TickErrorCode.BAD_TIMESTAMP, "got ''"),
        rejects(
            ok + ",\"market_cap\":-1}",
            TickErrorCode.BAD_MARKET_CAP,
            "field 'market_cap' must be a finite number >= 0 or null, got -1.0"),
        rejects(ok + ",\"market_cap\":NaN}", TickErrorCode.BAD_MARKET_CAP, "got NaN"),
        rejects(ok + ",\"market_cap\":Infinity}", TickErrorCode.BAD_MARKET_CAP, "got Infinity"),
        rejects(
            ok + ",\"pe_ratio\":NaN}",
            TickErrorCode.BAD_PE_RATIO,
            "field 'pe_ratio' must be finite or null, got NaN"),
        rejects(ok + ",\"pe_ratio\":-Infinity}", TickErrorCode.BAD_PE_RATIO, "got -Infinity"));
  }

  private static Arguments rejects(String json, TickErrorCode code, String messagePart) {
    return Arguments.of(json, code, messagePart);
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("invalidRecords")
  void invalidRecordIsRejectedWithItsCodeAndAMessageNamingFieldAndValue(
      String json, TickErrorCode code, String messagePart) {
    InvalidTickException e = assertThrows(InvalidTickException.class, () -> TickParser.parse(json));

    assertEquals(code, e.code(), e::getMessage);
    assertTrue(
        e.getMessage().contains(messagePart),
        () -> "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
    assertEquals(code, codeOf(json.getBytes(StandardCharsets.UTF_8)), "same code from bytes");
  }

  @Test
  void bytesThatAreNotUtf8AreRejectedBeforeJsonParsing() {
    byte[] latin1 = SAMPLE.replace("AAPL-1", "AAPL-\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    byte[] truncated = {'{', '"', (byte) 0xE2, (byte) 0x82};
    byte[] overlong = {'{', (byte) 0xC0, (byte) 0xAF, '}'};
    byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};

    for (byte[] bytes : List.of(latin1, truncated, overlong, surrogate)) {
      InvalidTickException e =
          assertThrows(InvalidTickException.class, () -> TickParser.parse(bytes));
      assertEquals(TickErrorCode.NOT_UTF8, e.code(), e::getMessage);
      assertTrue(e.getMessage().contains("UTF-8"), e::getMessage);
    }
  }

  /** The cases above reach every code the contract defines: none is dead. */
  @Test
  void everyErrorCodeIsReachable() {
    Set<TickErrorCode> produced = EnumSet.noneOf(TickErrorCode.class);
    for (Arguments a : invalidRecords()) {
      produced.add(codeOf(((String) a.get()[0]).getBytes(StandardCharsets.UTF_8)));
    }
    produced.add(codeOf(new byte[] {'{', (byte) 0xFF, '}'}));

    assertEquals(EnumSet.allOf(TickErrorCode.class), produced);
  }

  private static TickErrorCode codeOf(byte[] bytes) {
    try {
      TickParser.parse(bytes);
      return null;
    } catch (InvalidTickException e) {
      return e.code();
    }
  }
}
