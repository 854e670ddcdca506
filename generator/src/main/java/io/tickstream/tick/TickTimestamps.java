package io.tickstream.tick;

/**
 * Parses and formats the contract's ISO-8601 timestamps without allocating a formatter per call.
 *
 * <p>Accepted: {@code yyyy-MM-dd'T'HH:mm:ss} (a space instead of {@code T} is accepted too, as
 * Python's {@code str(datetime)} writes it), optionally a fraction of any length (kept to
 * milliseconds, truncated), then {@code Z}, an offset {@code ±HH:mm}, {@code ±HHmm} or {@code ±HH},
 * or nothing, which means UTC. Written: {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}.
 */
public final class TickTimestamps {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private TickTimestamps() {}

  /**
   * Epoch milliseconds of {@code s}, or throws {@link IllegalArgumentException} with the reason.
   */
  public static long parseMillis(CharSequence s) {
    int n = s.length();
    if (n < 19) {
      throw new IllegalArgumentException("expected yyyy-MM-ddTHH:mm:ss, got too short a value");
    }
    int year = digits(s, 0, 4);
    expect(s, 4, '-');
    int month = digits(s, 5, 2);
    expect(s, 7, '-');
    int day = digits(s, 8, 2);
    char sep = s.charAt(10);
    if (sep != 'T' && sep != 't' && sep != ' ') {
      throw new IllegalArgumentException("expected 'T' between date and time at position 10");
    }
    int hour = digits(s, 11, 2);
    expect(s, 13, ':');
    int minute = digits(s, 14, 2);
    expect(s, 16, ':');
    int second = digits(s, 17, 2);
    if (month < 1 || month > 12) {
      throw new IllegalArgumentException("month " + month + " is out of range");
    }
    if (day < 1 || day > daysInMonth(year, month)) {
      throw new IllegalArgumentException("day " + day + " is out of range for month " + month);
    }
    if (hour > 23 || minute > 59 || second > 59) {
      throw new IllegalArgumentException("time of day is out of range");
    }
    int i = 19;
    int millis = 0;
    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
      i++;
      int start = i;
      int scale = 100;
      while (i < n && isDigit(s.charAt(i))) {
        millis += (s.charAt(i) - '0') * scale;
        scale /= 10;
        i++;
      }
      if (i == start || i - start > 9) {
        throw new IllegalArgumentException("fraction of a second must have 1 to 9 digits");
      }
    }
    int offsetMinutes = 0;
    if (i < n) {
      char c = s.charAt(i);
      if ((c == 'Z' || c == 'z') && i + 1 == n) {
        i++;
      } else if (c == '+' || c == '-') {
        int sign = c == '-' ? -1 : 1;
        int rest = n - i - 1;
        int oh;
        int om = 0;
        if (rest == 2) {
          oh = digits(s, i + 1, 2);
        } else if (rest == 4) {
          oh = digits(s, i + 1, 2);
          om = digits(s, i + 3, 2);
        } else if (rest == 5 && s.charAt(i + 3) == ':') {
          oh = digits(s, i + 1, 2);
          om = digits(s, i + 4, 2);
        } else {
          throw new IllegalArgumentException("offset must be Z, ±HH, ±HHmm or ±HH:mm");
        }
        if (oh > 18 || om > 59) {
          throw new IllegalArgumentException("offset is out of range");
        }
        offsetMinutes = sign * (oh * 60 + om);
        i = n;
      } else {
        throw new IllegalArgumentException("unexpected character '" + c + "' at position " + i);
      }
    }
    long days = daysFromCivil(year, month, day);
    return days * MILLIS_PER_DAY
        + hour * 3_600_000L
        + minute * 60_000L
        + second * 1_000L
        + millis
        - offsetMinutes * 60_000L;
  }

  /** Appends {@code yyyy-MM-ddTHH:mm:ss.SSSZ} for the epoch milliseconds. */
  public static StringBuilder appendIso(StringBuilder sb, long epochMillis) {
    long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    long msOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
    // Civil-from-days, Howard Hinnant's algorithm.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) {
      y++;
    }
    pad(sb, y, 4).append('-');
    pad(sb, m, 2).append('-');
    pad(sb, d, 2).append('T');
    pad(sb, msOfDay / 3_600_000, 2).append(':');
    pad(sb, msOfDay / 60_000 % 60, 2).append(':');
    pad(sb, msOfDay / 1000 % 60, 2).append('.');
    return pad(sb, msOfDay % 1000, 3).append('Z');
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} for the epoch milliseconds. */
  public static String formatIso(long epochMillis) {
    return appendIso(new StringBuilder(24), epochMillis).toString();
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days-from-civil). */
  static long daysFromCivil(long y, long m, long d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  private static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    if (v < 0) {
      throw new IllegalArgumentException("year before 0000 cannot be written");
    }
    long limit = 10;
    for (int w = 1; w < width; w++) {
      if (v < limit) {
        sb.append('0');
      }
      limit *= 10;
    }
    return sb.append(v);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digits(CharSequence s, int from, int count) {
    if (from + count > s.length()) {
      throw new IllegalArgumentException("value ends early at position " + s.length());
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        throw new IllegalArgumentException(
            "expected a digit at position " + i + ", got '" + c + "'");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void expect(CharSequence s, int at, char c) {
    if (s.charAt(at) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at position " + at);
    }
  }
}
