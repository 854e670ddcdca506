package io.tickstream.pipeline.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.annotation.Nullable;

/**
 * Splits a stream into lines on bytes, never decoding them: a line ends at {@code \n}, and a {@code
 * \r} just before it is dropped, so Windows files read as Unix ones; a last line without a newline
 * is a line too. Bytes that are not UTF-8 reach the parser as they were read, where they become a
 * {@code NOT_UTF8} dead letter holding exactly those bytes.
 */
final class ByteLines {
  private static final int BUFFER = 1 << 16;

  private final InputStream in;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int limit;
  private boolean eof;

  /** The bytes of a line that runs over the end of the buffer, gathered here; else null. */
  private @Nullable byte[] carry;

  private int carryLength;

  /** The stream offset of {@code buf[0]}. */
  private long bufOffset;

  /** The stream offset just after the last line returned, its terminator included. */
  private long consumed;

  ByteLines(InputStream in) {
    this.in = in;
  }

  /** The next line without its terminator, or null at the end of the stream. */
  @Nullable
  byte[] next() throws IOException {
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          byte[] line = take(i);
          pos = i + 1;
          consumed = bufOffset + pos;
          return line;
        }
      }
      append(pos, limit);
      pos = limit;
      if (eof || !fill()) {
        eof = true;
        if (carryLength == 0 && carry == null) {
          return null;
        }
        byte[] last = Arrays.copyOf(carry, carryLength);
        consumed += carryLength;
        carry = null;
        carryLength = 0;
        return stripCr(last);
      }
    }
  }

  /** Whether the line is empty or only ASCII white space (blank lines are counted, not parsed). */
  static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
        return false;
      }
    }
    return true;
  }

  private byte[] take(int newline) {
    byte[] line;
    if (carry == null) {
      line = Arrays.copyOfRange(buf, pos, newline);
    } else {
      append(pos, newline);
      line = Arrays.copyOf(carry, carryLength);
      carry = null;
      carryLength = 0;
    }
    return stripCr(line);
  }

  private void append(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    if (carry == null) {
      carry = new byte[Math.max(n * 2, 256)];
    } else if (carryLength + n > carry.length) {
      carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carryLength + n));
    }
    System.arraycopy(buf, from, carry, carryLength, n);
    carryLength += n;
  }

  /**
   * Bytes of the stream read into lines so far: where the next line starts, relative to where the
   * stream started.
   */
  long consumed() {
    return consumed;
  }

  private boolean fill() throws IOException {
    bufOffset += limit;
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  private static byte[] stripCr(byte[] line) {
    return line.length > 0 && line[line.length - 1] == '\r'
        ? Arrays.copyOf(line, line.length - 1)
        : line;
  }
}
