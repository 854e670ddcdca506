package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldDescription;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** A one-minute OHLCV bar of one symbol: the {@code bars_1m} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Bar {
  @SchemaFieldNumber("0")
  @SchemaFieldName("symbol")
  @SchemaFieldDescription("Instrument symbol")
  public abstract String getSymbol();

  /** Inclusive start of the minute, UTC. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("window_start")
  @SchemaFieldDescription("Inclusive start of the minute, UTC")
  public abstract Instant getWindowStart();

  /** Exclusive end of the minute, UTC. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("window_end")
  @SchemaFieldDescription("Exclusive end of the minute, UTC")
  public abstract Instant getWindowEnd();

  /** Price of the first tick by event time (ties: smallest event id). */
  @SchemaFieldNumber("3")
  @SchemaFieldName("open")
  @SchemaFieldDescription("Price of the first tick by event time")
  public abstract double getOpen();

  @SchemaFieldNumber("4")
  @SchemaFieldName("high")
  @SchemaFieldDescription("Highest price in the minute")
  public abstract double getHigh();

  @SchemaFieldNumber("5")
  @SchemaFieldName("low")
  @SchemaFieldDescription("Lowest price in the minute")
  public abstract double getLow();

  /** Price of the last tick by event time (ties: largest event id). */
  @SchemaFieldNumber("6")
  @SchemaFieldName("close")
  @SchemaFieldDescription("Price of the last tick by event time")
  public abstract double getClose();

  /** Shares traded in the minute. */
  @SchemaFieldNumber("7")
  @SchemaFieldName("volume")
  @SchemaFieldDescription("Shares traded in the minute")
  public abstract long getVolume();

  /** Sum of price x volume over sum of volume; the mean price when the volume is 0. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("vwap")
  @SchemaFieldDescription("Volume-weighted average price; the mean price when the volume is 0")
  public abstract double getVwap();

  @SchemaFieldNumber("9")
  @SchemaFieldName("tick_count")
  @SchemaFieldDescription("Unique on-time ticks in the minute")
  public abstract long getTickCount();

  @SchemaCreate
  public static Bar create(
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
    return new AutoValue_Bar(
        symbol, windowStart, windowEnd, open, high, low, close, volume, vwap, tickCount);
  }
}
