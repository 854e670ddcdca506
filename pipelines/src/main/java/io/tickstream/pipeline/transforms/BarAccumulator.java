package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.tick.Tick;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import org.apache.beam.sdk.coders.BigIntegerCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * The running aggregate of one symbol's minute while it is open, kept in state. Open is the first
 * tick by (event time, event id), close the last; ties in event time are broken by event id, and
 * the VWAP sums are exact ({@link ExactSum}), so the bar does not depend on arrival order. Mutable:
 * {@link #add} updates it in place.
 */
final class BarAccumulator {
  final long windowStartMillis;
  private long openMillis;
  private String openId;
  private double open;
  private long closeMillis;
  private String closeId;
  private double close;
  private double high;
  private double low;
  private long volume;
  private final ExactSum priceVolume;
  private final ExactSum priceSum;
  private long count;

  private BarAccumulator(
      long windowStartMillis,
      long openMillis,
      String openId,
      double open,
      long closeMillis,
      String closeId,
      double close,
      double high,
      double low,
      long volume,
      ExactSum priceVolume,
      ExactSum priceSum,
      long count) {
    this.windowStartMillis = windowStartMillis;
    this.openMillis = openMillis;
    this.openId = openId;
    this.open = open;
    this.closeMillis = closeMillis;
    this.closeId = closeId;
    this.close = close;
    this.high = high;
    this.low = low;
    this.volume = volume;
    this.priceVolume = priceVolume;
    this.priceSum = priceSum;
    this.count = count;
  }

  /** A minute holding one tick. */
  static BarAccumulator of(long windowStartMillis, Tick t) {
    long ts = t.timestampMillis();
    BarAccumulator acc =
        new BarAccumulator(
            windowStartMillis,
            ts,
            t.getEventId(),
            t.getPrice(),
            ts,
            t.getEventId(),
            t.getPrice(),
            t.getPrice(),
            t.getPrice(),
            0,
            new ExactSum(),
            new ExactSum(),
            0);
    acc.sum(t);
    return acc;
  }

  /** Adds one more tick of this minute. */
  void add(Tick t) {
    long ts = t.timestampMillis();
    if (ts < openMillis || (ts == openMillis && t.getEventId().compareTo(openId) < 0)) {
      openMillis = ts;
      openId = t.getEventId();
      open = t.getPrice();
    }
    if (ts > closeMillis || (ts == closeMillis && t.getEventId().compareTo(closeId) > 0)) {
      closeMillis = ts;
      closeId = t.getEventId();
      close = t.getPrice();
    }
    high = Math.max(high, t.getPrice());
    low = Math.min(low, t.getPrice());
    sum(t);
  }

  private void sum(Tick t) {
    volume += t.getVolume();
    priceVolume.add(t.getPrice(), t.getVolume());
    priceSum.add(t.getPrice(), 1);
    count++;
  }

  /**
   * The finished bar of a minute of {@code lengthMillis}: VWAP is Σ price·volume / Σ volume, or the
   * mean price when the volume is 0, each rounded once from the exact quotient.
   */
  Bar toBar(String symbol, long lengthMillis) {
    double vwap =
        volume > 0
            ? priceVolume.dividedBy(volume).doubleValue()
            : priceSum.dividedBy(count).doubleValue();
    return Bar.create(
        symbol,
        new Instant(windowStartMillis),
        new Instant(windowStartMillis + lengthMillis),
        open,
        high,
        low,
        close,
        volume,
        vwap,
        count);
  }

  /** Encodes an accumulator field by field, for state backends that serialize. */
  static final class Coder extends CustomCoder<BarAccumulator> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final BigIntegerCoder BIG = BigIntegerCoder.of();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BarAccumulator a, OutputStream out) throws IOException {
      LONG.encode(a.windowStartMillis, out);
      LONG.encode(a.openMillis, out);
      STRING.encode(a.openId, out);
      DOUBLE.encode(a.open, out);
      LONG.encode(a.closeMillis, out);
      STRING.encode(a.closeId, out);
      DOUBLE.encode(a.close, out);
      DOUBLE.encode(a.high, out);
      DOUBLE.encode(a.low, out);
      LONG.encode(a.volume, out);
      BIG.encode(a.priceVolume.units(), out);
      INT.encode(a.priceVolume.exponent(), out);
      BIG.encode(a.priceSum.units(), out);
      INT.encode(a.priceSum.exponent(), out);
      LONG.encode(a.count, out);
    }

    @Override
    public BarAccumulator decode(InputStream in) throws IOException {
      long windowStart = LONG.decode(in);
      long openMillis = LONG.decode(in);
      String openId = STRING.decode(in);
      double open = DOUBLE.decode(in);
      long closeMillis = LONG.decode(in);
      String closeId = STRING.decode(in);
      double close = DOUBLE.decode(in);
      double high = DOUBLE.decode(in);
      double low = DOUBLE.decode(in);
      long volume = LONG.decode(in);
      BigInteger pvUnits = BIG.decode(in);
      int pvExp = INT.decode(in);
      BigInteger psUnits = BIG.decode(in);
      int psExp = INT.decode(in);
      long count = LONG.decode(in);
      return new BarAccumulator(
          windowStart,
          openMillis,
          openId,
          open,
          closeMillis,
          closeId,
          close,
          high,
          low,
          volume,
          new ExactSum(pvUnits, pvExp),
          new ExactSum(psUnits, psExp),
          count);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
