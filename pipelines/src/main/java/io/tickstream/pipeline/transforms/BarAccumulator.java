package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.tick.Tick;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.joda.time.Instant;

/**
 * The running aggregate of one symbol's minute while it is open, kept in state. Open is the first
 * tick by (event time, event id), close the last; ties in event time are broken by event id so the
 * result does not depend on arrival order.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class BarAccumulator {
  public final long windowStartMillis;
  public final long openMillis;
  public final String openId;
  public final double open;
  public final long closeMillis;
  public final String closeId;
  public final double close;
  public final double high;
  public final double low;
  public final long volume;

  /** Exact sums (a double's value is exact in a BigDecimal), so no arrival order changes a bar. */
  public final BigDecimal priceVolume;

  public final BigDecimal priceSum;
  public final long count;

  @SchemaCreate
  public BarAccumulator(
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
      BigDecimal priceVolume,
      BigDecimal priceSum,
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
  public static BarAccumulator of(long windowStartMillis, Tick t) {
    long ts = t.timestampMillis();
    return new BarAccumulator(
        windowStartMillis,
        ts,
        t.eventId,
        t.price,
        ts,
        t.eventId,
        t.price,
        t.price,
        t.price,
        t.volume,
        exact(t.price).multiply(BigDecimal.valueOf(t.volume)),
        exact(t.price),
        1);
  }

  /** This minute with one more tick. */
  public BarAccumulator add(Tick t) {
    long ts = t.timestampMillis();
    boolean first = ts < openMillis || (ts == openMillis && t.eventId.compareTo(openId) < 0);
    boolean last = ts > closeMillis || (ts == closeMillis && t.eventId.compareTo(closeId) > 0);
    return new BarAccumulator(
        windowStartMillis,
        first ? ts : openMillis,
        first ? t.eventId : openId,
        first ? t.price : open,
        last ? ts : closeMillis,
        last ? t.eventId : closeId,
        last ? t.price : close,
        Math.max(high, t.price),
        Math.min(low, t.price),
        volume + t.volume,
        priceVolume.add(exact(t.price).multiply(BigDecimal.valueOf(t.volume))),
        priceSum.add(exact(t.price)),
        count + 1);
  }

  private static BigDecimal exact(double v) {
    return new BigDecimal(v);
  }

  /** The finished bar of a minute of {@code lengthMillis}. */
  public Bar toBar(String symbol, long lengthMillis) {
    double vwap =
        volume > 0
            ? priceVolume.divide(BigDecimal.valueOf(volume), MathContext.DECIMAL64).doubleValue()
            : priceSum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue();
    return new Bar(
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
}
