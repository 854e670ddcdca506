package io.tickstream.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link TickParser#parse(byte[])} with its fast path against the same payloads read by Jackson
 * alone: every outcome, tick or error, must be the same.
 */
class FlatTickJsonTest {
  private static final String SAMPLE =
      "{\"event_id\":\"AAPL-1\",\"symbol\":\"AAPL\",\"price\":150.25,\"volume\":1000000,"
          + "\"timestamp\":\"2025-06-29T14:36:16.123456\",\"market_cap\":2500000000,"
          + "\"pe_ratio\":28.5}";

  /** Records close to the edges of the fast path's grammar and of the contract. */
  private static final List<String> SEEDS =
      List.of(
          SAMPLE,
          " {\"event_id\" : \"e\" ,\n\"symbol\":\"BRK.B\",\"price\":1e2,\"volume\":0,"
              + "\"timestamp\":\"2025-06-29T14:36:16Z\",\"market_cap\":null,\"pe_ratio\":null}\r\n",
          "{\"symbol\":\"X\",\"price\":-0.5,\"volume\":-1,\"timestamp\":\"2025-06-29\","
              + "\"event_id\":\"\"}",
          "{\"event_id\":\"a\",\"symbol\":\"x\",\"price\":0,\"volume\":1.0,\"timestamp\":\"t\"}",
          "{\"event_id\":\"a\",\"symbol\":\"AB\",\"price\":1E+400,\"volume\":12345678901234567890,"
              + "\"timestamp\":\"2025-06-29T14:36:16Z\",\"extra\":\"y\",\"n\":-12.5e-3}",
          "{\"event_id\":\"a\",\"event_id\":\"b\",\"symbol\":\"C\",\"price\":2,\"price\":null,"
              + "\"volume\":3,\"timestamp\":\"2025-06-29T14:36:16Z\",\"pe_ratio\":-1}",
          "{\"event_id\":null,\"symbol\":\"C\",\"price\":\"2\",\"volume\":3}",
          "{}",
          "[]",
          "");

  private static final String SPECIAL = "\"\\{}[]:,-+.eE019nultfaN \t\n\r";

  @Test
  void producersRecordsTakeTheFastPath() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 2_000; n++) {
      Tick tick =
          Tick.create(
              "SYM" + n + "-" + random.nextLong(1L << 40),
              "SYM" + (n % 50),
              Math.round(random.nextDouble(1, 5_000) * 100) / 100.0,
              random.nextLong(0, 1_000_000),
              new Instant(1_700_000_000_000L + random.nextLong(1L << 32)),
              n % 3 == 0 ? null : random.nextDouble(0, 1e12),
              n % 4 == 0 ? null : random.nextDouble(-50, 500));
      byte[] line = TickJson.toJson(tick).getBytes(StandardCharsets.UTF_8);
      assertNotNull(FlatTickJson.read(line), TickJson.toJson(tick));
      assertEquals(tick, TickParser.parse(line));
      assertEquals(outcome(TickParser::parseWithJackson, line), outcome(TickParser::parse, line));
    }
  }

  @Test
  void anyPayloadParsesAsJacksonAloneParsesIt() {
    SplittableRandom random = new SplittableRandom(11);
    int fast = 0;
    int total = 0;
    for (String seed : SEEDS) {
      for (int n = 0; n < 4_000; n++) {
        byte[] payload = mutate(seed.getBytes(StandardCharsets.UTF_8), random, n % 4);
        total++;
        if (FlatTickJson.read(payload) != null) {
          fast++;
        }
        assertEquals(
            outcome(TickParser::parseWithJackson, payload),
            outcome(TickParser::parse, payload),
            () -> new String(payload, StandardCharsets.ISO_8859_1));
      }
    }
    // Both sides of the fast path are exercised.
    assertTrue(fast > total / 20 && fast < total - total / 20, fast + " of " + total + " fast");
  }

  @Test
  void edgeLiteralsReadAsJacksonReadsThem() {
    for (String literal :
        List.of(
            "-0",
            "0",
            "-0.0",
            "-0e0",
            "0E-5",
            "1E+400",
            "-1e400",
            "1e-400",
            "4.9e-324",
            "9007199254740993",
            "-9223372036854775808",
            "9223372036854775807",
            "123456789012345678901234567890",
            "0.1",
            "150.25",
            "-150.25",
            "1.0E12",
            "123456789012345",
            "1234567890123456",
            "99999999999999.99",
            "999999999999999.9",
            "0.000000000000001",
            "0.0000000000000001",
            "1234567.890123456",
            "00000000000000000000.5")) {
      for (String field : List.of("price", "volume", "market_cap", "pe_ratio")) {
        assertReadAsJacksonReads(field, literal);
      }
    }
  }

  /** The sample with {@code literal} as {@code field}'s value reads as Jackson alone reads it. */
  private static void assertReadAsJacksonReads(String field, String literal) {
    String json =
        SAMPLE.replace("\"" + field + "\":", "\"" + field + "\":" + literal + ",\"was\":");
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(
        outcome(TickParser::parseWithJackson, payload), outcome(TickParser::parse, payload), json);
  }

  @Test
  void decimalLiteralsReadAsParseDoubleReadsThem() {
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder literal = new StringBuilder(random.nextBoolean() ? "-" : "");
      int digits = 1 + random.nextInt(18);
      int point = random.nextInt(digits + 1);
      for (int d = 0; d < digits; d++) {
        if (d == point && d > 0) {
          literal.append('.');
        }
        // No leading zero unless the point follows it, so that every literal is valid JSON.
        boolean leading = d == 0 && digits > 1 && point != 1;
        literal.append(leading ? 1 + random.nextInt(9) : random.nextInt(10));
      }
      assertReadAsJacksonReads("pe_ratio", literal.toString());
    }
  }

  @Test
  void theFastPathGivesUpOnWhatItDoesNotRead() {
    for (String json :
        List.of(
            "{\"event_id\":\"a\\\"b\"}",
            "{\"event_id\":\"caf\u00e9\"}",
            "{\"flag\":true}",
            "{\"tags\":[1]}",
            "{\"price\":NaN}",
            "{\"price\":01}",
            "{\"price\":1.}",
            "{\"volume\":1.5}",
            "{\"volume\":1234567890123456789}",
            "{\"event_id\":1}",
            "{\"price\":\"1\"}",
            "{\"a\":1} x",
            "{\"a\":1,}",
            "{\"a\" 1}")) {
      assertNull(FlatTickJson.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }
  }

  /** 0: edit bytes, 1: delete a byte, 2: insert a byte, 3: the seed itself or cut short. */
  private static byte[] mutate(byte[] seed, SplittableRandom random, int kind) {
    List<Byte> out = new ArrayList<>();
    for (byte b : seed) {
      out.add(b);
    }
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && !out.isEmpty(); e++) {
      int at = random.nextInt(out.size());
      switch (kind) {
        case 0:
          out.set(at, pick(random));
          break;
        case 1:
          out.remove(at);
          break;
        case 2:
          out.add(at, pick(random));
          break;
        default:
          if (random.nextBoolean()) {
            out = out.subList(0, at);
          }
          e = edits;
      }
    }
    byte[] bytes = new byte[out.size()];
    for (int k = 0; k < bytes.length; k++) {
      bytes[k] = out.get(k);
    }
    return bytes;
  }

  private static byte pick(SplittableRandom random) {
    int r = random.nextInt(10);
    if (r < 7) {
      return (byte) SPECIAL.charAt(random.nextInt(SPECIAL.length()));
    }
    if (r < 9) {
      return (byte) random.nextInt(0x20, 0x7f);
    }
    return (byte) new int[] {0x00, 0x1f, 0x7f, 0xc3, 0xa9, 0xff}[random.nextInt(6)];
  }

  /** What parsing a payload gives: the tick, or the error's code and message. */
  private static Object outcome(Parse parse, byte[] payload) {
    try {
      return parse.apply(payload);
    } catch (InvalidTickException e) {
      return e.code() + ": " + e.getMessage();
    }
  }

  @FunctionalInterface
  private interface Parse {
    Tick apply(byte[] payload) throws InvalidTickException;
  }
}
