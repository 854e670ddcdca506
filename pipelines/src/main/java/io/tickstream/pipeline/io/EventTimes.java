package io.tickstream.pipeline.io;

import io.tickstream.tick.TickTimestamps;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;

/**
 * Reads a record's {@code timestamp} without parsing the whole JSON, so sources can stamp records
 * (and set watermarks) with event time before {@code ParseTicks} validates them. A record whose
 * timestamp cannot be found this way is stamped by its source's fallback and still fully validated
 * later.
 */
public final class EventTimes {
  private static final byte[] KEY = "\"timestamp\"".getBytes(StandardCharsets.US_ASCII);

  private EventTimes() {}

  /** Epoch millis of the record's timestamp, or null when it is absent or unreadable. */
  public static @Nullable Long peek(byte[] payload) {
    int at = indexOf(payload, KEY);
    if (at < 0) {
      return null;
    }
    int i = at + KEY.length;
    i = skipSpaces(payload, i);
    if (i >= payload.length || payload[i] != ':') {
      return null;
    }
    i = skipSpaces(payload, i + 1);
    if (i >= payload.length || payload[i] != '"') {
      return null;
    }
    int start = i + 1;
    int end = start;
    while (end < payload.length && payload[end] != '"' && end - start < 40) {
      end++;
    }
    if (end >= payload.length || payload[end] != '"') {
      return null;
    }
    try {
      return TickTimestamps.parseMillis(
          new String(payload, start, end - start, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int skipSpaces(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
