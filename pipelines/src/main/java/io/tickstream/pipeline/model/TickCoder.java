package io.tickstream.pipeline.model;

import io.tickstream.tick.Tick;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.joda.time.Instant;

/**
 * Encodes a {@link Tick} field by field: the coder of the pipeline's tick collections, which every
 * tick passes through at each shuffle and state write.
 *
 * <p>{@link Tick}'s Beam schema stays the one definition of the {@code ticks} dataset's columns;
 * this coder only replaces the schema coder's detour through a {@code Row} (a tick converted to a
 * row and back at each encode and decode), which was the largest single cost per tick on Flink.
 *
 * <p>Layout: the length of what follows (var int), then event id and symbol (var-int length and
 * UTF-8), price (8 bytes), volume and event time (var longs), a byte of flags for which of market
 * cap and P/E follow, and those (8 bytes each). A tick is built in an array and goes to or comes
 * from the stream in one call: field-by-field stream calls, a virtual call a byte for var ints,
 * were most of the cost of the coder.
 */
public final class TickCoder extends AtomicCoder<Tick> {
  private static final long serialVersionUID = 1L;
  private static final TickCoder INSTANCE = new TickCoder();
  private static final int HAS_MARKET_CAP = 1;
  private static final int HAS_PE_RATIO = 2;

  /** Bytes a var int or var long may take. */
  private static final int MAX_VAR_INT = 5;

  private static final int MAX_VAR_LONG = 10;

  private TickCoder() {}

  public static TickCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Tick tick, OutputStream out) throws IOException {
    if (tick == null) {
      throw new CoderException("cannot encode a null Tick");
    }
    byte[] eventId = tick.getEventId().getBytes(StandardCharsets.UTF_8);
    byte[] symbol = tick.getSymbol().getBytes(StandardCharsets.UTF_8);
    // Room for the length prefix in front, filled in once the body's length is known.
    int bodyStart = MAX_VAR_INT;
    byte[] buf =
        new byte
            [bodyStart
                + MAX_VAR_INT
                + eventId.length
                + MAX_VAR_INT
                + symbol.length
                + 8
                + 2 * MAX_VAR_LONG
                + 1
                + 16];
    int pos = bodyStart;
    pos = putBytes(buf, pos, eventId);
    pos = putBytes(buf, pos, symbol);
    pos = putLong(buf, pos, Double.doubleToLongBits(tick.getPrice()));
    pos = putVarLong(buf, pos, tick.getVolume());
    pos = putVarLong(buf, pos, tick.timestampMillis());
    int flags =
        (tick.getMarketCap() != null ? HAS_MARKET_CAP : 0)
            | (tick.getPeRatio() != null ? HAS_PE_RATIO : 0);
    buf[pos++] = (byte) flags;
    if (tick.getMarketCap() != null) {
      pos = putLong(buf, pos, Double.doubleToLongBits(tick.getMarketCap()));
    }
    if (tick.getPeRatio() != null) {
      pos = putLong(buf, pos, Double.doubleToLongBits(tick.getPeRatio()));
    }
    int bodyLength = pos - bodyStart;
    int start = bodyStart - varLongSize(bodyLength);
    putVarLong(buf, start, bodyLength);
    out.write(buf, start, pos - start);
  }

  @Override
  public Tick decode(InputStream in) throws IOException {
    int length = readVarInt(in);
    byte[] buf = new byte[length];
    int read = in.readNBytes(buf, 0, length);
    if (read != length) {
      throw new EOFException("a tick of " + length + " bytes ended after " + read);
    }
    Reader r = new Reader(buf);
    String eventId = r.string();
    String symbol = r.string();
    double price = Double.longBitsToDouble(r.fixedLong());
    long volume = r.varLong();
    long millis = r.varLong();
    int flags = r.next();
    Double marketCap =
        (flags & HAS_MARKET_CAP) != 0 ? Double.longBitsToDouble(r.fixedLong()) : null;
    Double peRatio = (flags & HAS_PE_RATIO) != 0 ? Double.longBitsToDouble(r.fixedLong()) : null;
    if (r.pos != length) {
      throw new CoderException("a tick of " + length + " bytes held " + r.pos);
    }
    return Tick.create(eventId, symbol, price, volume, new Instant(millis), marketCap, peRatio);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  private static int putBytes(byte[] buf, int pos, byte[] bytes) {
    pos = putVarLong(buf, pos, bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    return pos + bytes.length;
  }

  private static int putLong(byte[] buf, int pos, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
    return pos;
  }

  /** Beam's var-int format: 7 bits a byte, least significant first, high bit = more follow. */
  private static int putVarLong(byte[] buf, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  private static int varLongSize(long v) {
    int size = 1;
    while ((v & ~0x7FL) != 0) {
      size++;
      v >>>= 7;
    }
    return size;
  }

  private static int readVarInt(InputStream in) throws IOException {
    int result = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("a tick's length ended early");
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (result < 0) {
          throw new CoderException("a tick of negative length " + result);
        }
        return result;
      }
    }
    throw new CoderException("a tick's length is longer than a var int");
  }

  /** Reads fields from one tick's bytes; an index past the end is a corrupt tick. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int next() throws CoderException {
      if (pos >= buf.length) {
        throw new CoderException("a tick of " + buf.length + " bytes ended early");
      }
      return buf[pos++] & 0xFF;
    }

    long varLong() throws CoderException {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = next();
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new CoderException("a var long in a tick is longer than 10 bytes");
    }

    long fixedLong() throws CoderException {
      if (pos + 8 > buf.length) {
        throw new CoderException("a tick of " + buf.length + " bytes ended early");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xFF);
      }
      return v;
    }

    String string() throws CoderException {
      long length = varLong();
      if (length < 0 || length > buf.length - pos) {
        throw new CoderException("a string of " + length + " bytes in a tick of " + buf.length);
      }
      String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
      pos += (int) length;
      return s;
    }
  }
}
