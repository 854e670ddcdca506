package io.tickstream.generator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people type them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code
 * 1d}, or ISO {@code PT2H}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException quoting the value and the accepted forms
   */
  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double millis;
      switch (m.group(2)) {
        case "ms":
          millis = amount;
          break;
        case "s":
          millis = amount * 1_000;
          break;
        case "m":
          millis = amount * 60_000;
          break;
        case "h":
          millis = amount * 3_600_000;
          break;
        default:
          millis = amount * 86_400_000;
      }
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      Duration d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      if (d.isNegative()) {
        throw new IllegalArgumentException("'" + value + "' is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration (use 500ms, 30s, 5m, 2h, 1d or ISO-8601 like PT2H)");
    }
  }

  /** A short human form: {@code 2h}, {@code 90s}, {@code 250ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
