package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteLinesTest {
  @Test
  void splitsOnNewlinesDropsCarriageReturnsAndKeepsEveryOtherByte() throws IOException {
    byte[] input = {
      'a', '\n', 'b', '\r', '\n', (byte) 0xC3, (byte) 0x28, '\n', '\n', ' ', '\t', '\n', 'z'
    };
    List<byte[]> lines = all(new ByteArrayInputStream(input));
    assertEquals(6, lines.size());
    assertArrayEquals(new byte[] {'a'}, lines.get(0));
    assertArrayEquals(new byte[] {'b'}, lines.get(1));
    assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0x28}, lines.get(2), "invalid UTF-8 kept");
    assertArrayEquals(new byte[0], lines.get(3));
    assertArrayEquals(new byte[] {' ', '\t'}, lines.get(4));
    assertArrayEquals(new byte[] {'z'}, lines.get(5), "a last line without a newline counts");
  }

  @Test
  void aTrailingNewlineEndsTheLastLineAndAnEmptyStreamHasNone() throws IOException {
    assertEquals(1, all(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8))).size());
    assertEquals(0, all(new ByteArrayInputStream(new byte[0])).size());
    assertEquals(1, all(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.UTF_8))).size());
  }

  /** Lines longer than the buffer, read through a stream that hands out a few bytes at a time. */
  @Test
  void linesAcrossBufferAndReadBoundariesComeOutWhole() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    List<byte[]> expected = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      int length = random.nextInt(3) == 0 ? 70_000 + random.nextInt(200_000) : random.nextInt(50);
      char[] line = new char[length];
      Arrays.fill(line, (char) ('a' + i % 26));
      expected.add(new String(line).getBytes(StandardCharsets.UTF_8));
      text.append(line).append(i % 2 == 0 ? "\n" : "\r\n");
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    InputStream trickle =
        new ByteArrayInputStream(bytes) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
          }
        };
    List<byte[]> lines = all(trickle);
    assertEquals(expected.size(), lines.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), lines.get(i), "line " + i);
    }
  }

  @Test
  void blankMeansEmptyOrAsciiWhiteSpaceOnly() {
    assertTrue(ByteLines.isBlank(new byte[0]));
    assertTrue(ByteLines.isBlank(" \t\f\u000B".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(ByteLines.isBlank(" x ".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(ByteLines.isBlank(new byte[] {(byte) 0xA0}), "a lone byte is not white space");
  }

  private static List<byte[]> all(InputStream in) throws IOException {
    ByteLines lines = new ByteLines(in);
    List<byte[]> out = new ArrayList<>();
    for (byte[] line = lines.next(); line != null; line = lines.next()) {
      out.add(line);
    }
    assertNull(lines.next(), "stays at the end");
    return out;
  }
}
