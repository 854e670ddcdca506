package io.tickstream.pipeline.model;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/** A one-minute OHLCV bar of one symbol: the {@code bars_1m} dataset. */
@DefaultSchema(JavaFieldSchema.class)
public final class Bar {
  @SchemaFieldName("symbol")
  public final String symbol;

  /** Inclusive start of the minute, UTC. */
  @SchemaFieldName("window_start")
  public final Instant windowStart;

  /** Exclusive end of the minute, UTC. */
  @SchemaFieldName("window_end")
  public final Instant windowEnd;

  /** Price of the first tick by event time (ties: smallest event id). */
  @SchemaFieldName("open")
  public final double open;

  @SchemaFieldName("high")
  public final double high;

  @SchemaFieldName("low")
  public final double low;

  /** Price of the last tick by event time (ties: largest event id). */
  @SchemaFieldName("close")
  public final double close;

  /** Shares traded in the minute. */
  @SchemaFieldName("volume")
  public final long volume;

  /** Sum of price x volume over sum of volume; the mean price when the volume is 0. */
  @SchemaFieldName("vwap")
  public final double vwap;

  @SchemaFieldName("tick_count")
  public final long tickCount;

  @SchemaCreate
  public Bar(
      String symbol,
      Instant windowStart,
      Instant windowEnd,
      double open,
      double high,
      double low,
      double close,
      long volume,
      double vwap,
      long tickCount) {
    this.symbol = symbol;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volume = volume;
    this.vwap = vwap;
    this.tickCount = tickCount;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Bar)) {
      return false;
    }
    Bar b = (Bar) o;
    return symbol.equals(b.symbol)
        && windowStart.equals(b.windowStart)
        && windowEnd.equals(b.windowEnd)
        && Double.compare(open, b.open) == 0
        && Double.compare(high, b.high) == 0
        && Double.compare(low, b.low) == 0
        && Double.compare(close, b.close) == 0
        && volume == b.volume
        && Double.compare(vwap, b.vwap) == 0
        && tickCount == b.tickCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, windowStart, open, high, low, close, volume, vwap, tickCount);
  }

  @Override
  public String toString() {
    return String.format(
        "Bar{%s %s o=%s h=%s l=%s c=%s v=%d vwap=%s n=%d}",
        symbol, windowStart, open, high, low, close, volume, vwap, tickCount);
  }
}
