package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** A one-minute OHLCV bar of one symbol: the {@code bars_1m} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Bar {
  @SchemaFieldNumber("0")
  @SchemaFieldName("symbol")
  public abstract String getSymbol();

  /** Inclusive start of the minute, UTC. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  /** Exclusive end of the minute, UTC. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  /** Price of the first tick by event time (ties: smallest event id). */
  @SchemaFieldNumber("3")
  @SchemaFieldName("open")
  public abstract double getOpen();

  @SchemaFieldNumber("4")
  @SchemaFieldName("high")
  public abstract double getHigh();

  @SchemaFieldNumber("5")
  @SchemaFieldName("low")
  public abstract double getLow();

  /** Price of the last tick by event time (ties: largest event id). */
  @SchemaFieldNumber("6")
  @SchemaFieldName("close")
  public abstract double getClose();

  /** Shares traded in the minute. */
  @SchemaFieldNumber("7")
  @SchemaFieldName("volume")
  public abstract long getVolume();

  /** Sum of price x volume over sum of volume; the mean price when the volume is 0. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("vwap")
  public abstract double getVwap();

  @SchemaFieldNumber("9")
  @SchemaFieldName("tick_count")
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
