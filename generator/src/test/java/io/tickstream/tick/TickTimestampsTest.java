package io.tickstream.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TickTimestamps} against java.time, which is the reference for every case. */
class TickTimestampsTest {
  private static final long MIN_1900 = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
  private static final long MAX_2100 = Instant.parse("2100-12-31T23:59:59.999Z").toEpochMilli();
  private static final DateTimeFormatter MILLIS_Z =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // value,                              local date-time,          offset (empty = UTC)
    "2025-06-29T14:36:16+05:30,            2025-06-29T14:36:16,      +05:30",
    "2025-06-29T14:36:16.5-0800,           2025-06-29T14:36:16.5,    -08:00",
    "2025-06-29T14:36:16+02,               2025-06-29T14:36:16,      +02:00",
    "2025-06-29T14:36:16-02,               2025-06-29T14:36:16,      -02:00",
    "2025-06-29T14:36:16Z,                 2025-06-29T14:36:16,      Z",
    "2025-06-29T14:36:16z,                 2025-06-29T14:36:16,      Z",
    "2025-06-29T14:36:16,                  2025-06-29T14:36:16,      ''",
    "2025-06-29 14:36:16.123456,           2025-06-29T14:36:16.123456, ''",
    "2025-06-29t14:36:16.999999999+14:00,  2025-06-29T14:36:16.999999999, +14:00",
    "2025-01-01T00:30:00+01:00,            2025-01-01T00:30:00,      +01:00",
    "2024-02-29T23:59:59.9995-00:30,       2024-02-29T23:59:59.9995, -00:30",
    "1969-12-31T23:59:59.9999,             1969-12-31T23:59:59.9999, ''",
    "1900-01-01T00:00:00.001Z,             1900-01-01T00:00:00.001,  Z",
    "'2000-02-29T12:00:00,0+0000',           2000-02-29T12:00:00,      +00:00",
  })
  void parsesLikeJavaTime(String value, String local, String offset) {
    ZoneOffset zone = offset.isEmpty() ? ZoneOffset.UTC : ZoneOffset.of(offset);
    long expected =
        OffsetDateTime.of(LocalDateTime.parse(local), zone)
            .toInstant()
            .truncatedTo(ChronoUnit.MILLIS)
            .toEpochMilli();

    assertEquals(expected, TickTimestamps.parseMillis(value));
  }

  /**
   * 1 to 9 fraction digits, in local times before and after 1970: always truncated, never rounded.
   */
  @Test
  void fractionsOfOneToNineDigitsAreTruncatedToMillis() {
    String nines = "999999999";
    for (int digits = 1; digits <= 9; digits++) {
      for (String base : new String[] {"2025-06-29T14:36:16", "1969-12-31T23:59:59"}) {
        String fraction = nines.substring(0, digits);
        long expected =
            LocalDateTime.parse(base + "." + fraction)
                .toInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MILLIS)
                .toEpochMilli();

        assertEquals(expected, TickTimestamps.parseMillis(base + "." + fraction), fraction);
        assertEquals(expected, TickTimestamps.parseMillis(base + "." + fraction + "Z"), fraction);
      }
    }
    assertEquals(
        Instant.parse("2025-06-29T14:36:16.120Z").toEpochMilli(),
        TickTimestamps.parseMillis("2025-06-29T14:36:16.12"));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "2025-02-30T00:00:00Z", // February 30th
        "2023-02-29T00:00:00Z", // not a leap year
        "1900-02-29T00:00:00Z", // divisible by 100, not by 400
        "2025-04-31T00:00:00Z",
        "2025-13-01T00:00:00Z", // month 13
        "2025-00-10T00:00:00Z",
        "2025-06-00T00:00:00Z",
        "2025-06-29T24:00:00Z",
        "2025-06-29T14:60:00Z",
        "2025-06-29T14:36:60Z",
        "2025-06-29", // a date alone
        "2025-06-29T14:36", // no seconds
        "2025-06-29T14:36:16.", // a dot without digits
        "2025-06-29T14:36:16.1234567890", // ten fraction digits
        "2025-06-29T14:36:16+5:30",
        "2025-06-29T14:36:16+05:3",
        "2025-06-29T14:36:16+05:30:00",
        "2025-06-29T14:36:16+19:00",
        "2025-06-29T14:36:16ZZ",
        "2025-06-29T14:36:16 UTC",
        "2025/06/29T14:36:16Z",
        "2025-06-29X14:36:16Z",
        " 2025-06-29T14:36:16Z",
        "29/06/2025 14:36:16",
        "2025-6-29T14:36:16Z",
        "yesterday at noon!!",
        ""
      })
  void invalidValuesAreRejectedWithAReason(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TickTimestamps.parseMillis(value));

    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void rejectsFebruary30AndMonth13NamingTheField() {
    assertEquals(
        "day 30 is out of range for month 2",
        assertThrows(
                IllegalArgumentException.class,
                () -> TickTimestamps.parseMillis("2024-02-30T00:00:00Z"))
            .getMessage());
    assertEquals(
        "month 13 is out of range",
        assertThrows(
                IllegalArgumentException.class,
                () -> TickTimestamps.parseMillis("2024-13-01T00:00:00Z"))
            .getMessage());
  }

  /**
   * Seeded random instants over 1900..2100: the written form is java.time's, with exactly three
   * fraction digits, and it, Instant.toString's shorter forms, and random offsets with random
   * fraction lengths all parse back to the same millisecond.
   */
  @Test
  void formatAndParseRoundTripOverTwoCenturies() {
    SplittableRandom r = new SplittableRandom(1900_2100);
    for (int i = 0; i < 200_000; i++) {
      long millis = i < 2 ? (i == 0 ? MIN_1900 : MAX_2100) : r.nextLong(MIN_1900, MAX_2100 + 1);
      Instant instant = Instant.ofEpochMilli(millis);
      String written = TickTimestamps.formatIso(millis);

      assertEquals(MILLIS_Z.format(instant), written);
      assertEquals(instant, Instant.parse(written));
      assertEquals(millis, TickTimestamps.parseMillis(written), written);
      // Instant.toString drops a zero fraction and writes 3, 6 or 9 digits otherwise.
      assertEquals(millis, TickTimestamps.parseMillis(instant.toString()), instant::toString);

      int offsetMinutes = r.nextInt(-18 * 4, 18 * 4 + 1) * 15;
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
      Instant precise = instant.plusNanos(r.nextLong(1_000_000));
      String local =
          precise.atOffset(offset).toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      String value = (local.length() == 19 ? local + ".0" : local) + offsetText(offset, i % 3);
      assertEquals(millis, TickTimestamps.parseMillis(value), value);
    }
  }

  /** The offset as {@code ±HH:mm}, {@code ±HHmm} or (when whole hours) {@code ±HH}. */
  private static String offsetText(ZoneOffset offset, int style) {
    String iso = offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId(); // +05:30
    switch (style) {
      case 0:
        return iso;
      case 1:
        return iso.replace(":", "");
      default:
        return iso.endsWith(":00") ? iso.substring(0, 3) : iso;
    }
  }

  @Test
  void writesYearsBefore1000WithFourDigitsAndRefusesNegativeYears() {
    assertEquals(
        "0999-12-31T23:59:59.999Z",
        TickTimestamps.formatIso(Instant.parse("0999-12-31T23:59:59.999Z").toEpochMilli()));
    assertEquals(
        Instant.parse("0001-01-01T00:00:00Z").toEpochMilli(),
        TickTimestamps.parseMillis("0001-01-01T00:00:00Z"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TickTimestamps.formatIso(Instant.parse("-0001-01-01T00:00:00Z").toEpochMilli()));
  }
}
