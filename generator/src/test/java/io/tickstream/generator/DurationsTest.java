package io.tickstream.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "0,          0",
    "500ms,      500",
    "30s,        30000",
    "1.5s,       1500",
    "5m,         300000",
    "2h,         7200000",
    "1d,         86400000",
    "' 30 s ',   30000",
    "30S,        30000",
    "2H,         7200000",
    "0.25ms,     0",
    "PT2H,       7200000",
    "pt1m30s,    90000",
    "PT0.5S,     500",
    "P1D,        86400000",
  })
  void parsesShortAndIsoForms(String value, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(value));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "abc", "5", "-5s", "5 parsecs", "5sec", "1w", "PT-5S", "-PT5S", "s"})
  void rejectsOtherFormsQuotingTheValue(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(value));

    assertTrue(e.getMessage().startsWith("'" + value + "' is "), e::getMessage);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "0,          0",
    "250,        250ms",
    "1000,       1s",
    "90000,      90s",
    "300000,     5m",
    "7200000,    2h",
    "86400000,   1d",
    "90061001,   90061001ms",
  })
  void formatsTheShortestExactForm(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    assertEquals(Duration.ofMillis(millis), Durations.parse(text), "round trip");
  }
}
