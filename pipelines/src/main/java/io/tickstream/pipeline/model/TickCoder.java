package io.tickstream.pipeline.model;

import io.tickstream.tick.Tick;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * Encodes a {@link Tick} field by field: the coder of the pipeline's tick collections, which every
 * tick passes through at each shuffle and state write.
 *
 * <p>{@link Tick}'s Beam schema stays the one definition of the {@code ticks} dataset's columns;
 * this coder only replaces the schema coder's detour through a {@code Row} (a tick converted to a
 * row and back at each encode and decode), which was the largest single cost per tick on Flink.
 * Layout: event id and symbol (UTF-8), price (8 bytes), volume and event time (var longs), then a
 * byte of flags for which of market cap and P/E follow (8 bytes each).
 */
public final class TickCoder extends AtomicCoder<Tick> {
  private static final long serialVersionUID = 1L;
  private static final TickCoder INSTANCE = new TickCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final int HAS_MARKET_CAP = 1;
  private static final int HAS_PE_RATIO = 2;

  private TickCoder() {}

  public static TickCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Tick tick, OutputStream out) throws IOException {
    if (tick == null) {
      throw new CoderException("cannot encode a null Tick");
    }
    STRING.encode(tick.eventId, out);
    STRING.encode(tick.symbol, out);
    DataOutputStream data = new DataOutputStream(out);
    data.writeDouble(tick.price);
    LONG.encode(tick.volume, out);
    LONG.encode(tick.timestampMillis(), out);
    int flags =
        (tick.marketCap != null ? HAS_MARKET_CAP : 0) | (tick.peRatio != null ? HAS_PE_RATIO : 0);
    data.writeByte(flags);
    if (tick.marketCap != null) {
      data.writeDouble(tick.marketCap);
    }
    if (tick.peRatio != null) {
      data.writeDouble(tick.peRatio);
    }
    data.flush();
  }

  @Override
  public Tick decode(InputStream in) throws IOException {
    String eventId = STRING.decode(in);
    String symbol = STRING.decode(in);
    DataInputStream data = new DataInputStream(in);
    double price = data.readDouble();
    long volume = LONG.decode(in);
    long millis = LONG.decode(in);
    int flags = data.readUnsignedByte();
    Double marketCap = (flags & HAS_MARKET_CAP) != 0 ? data.readDouble() : null;
    Double peRatio = (flags & HAS_PE_RATIO) != 0 ? data.readDouble() : null;
    return new Tick(eventId, symbol, price, volume, new Instant(millis), marketCap, peRatio);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
