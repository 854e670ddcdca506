package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldDescription;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/**
 * A snapshot of an open long position, marked at a finalized bar: the {@code positions} dataset.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Position {
  @SchemaFieldNumber("0")
  @SchemaFieldName("symbol")
  @SchemaFieldDescription("Instrument symbol")
  public abstract String getSymbol();

  @SchemaFieldNumber("1")
  @SchemaFieldName("strategy")
  @SchemaFieldDescription("Strategy holding the position")
  public abstract String getStrategy();

  @SchemaFieldNumber("2")
  @SchemaFieldName("qty")
  @SchemaFieldDescription("Shares held")
  public abstract long getQty();

  @SchemaFieldNumber("3")
  @SchemaFieldName("entry_time")
  @SchemaFieldDescription("When the position was opened, UTC")
  public abstract Instant getEntryTime();

  @SchemaFieldNumber("4")
  @SchemaFieldName("entry_price")
  @SchemaFieldDescription("Price the position was opened at")
  public abstract double getEntryPrice();

  /** The marking bar's close. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("mark_price")
  @SchemaFieldDescription("Close of the marking bar")
  public abstract double getMarkPrice();

  /** (mark - entry) x qty, before fees. */
  @SchemaFieldNumber("6")
  @SchemaFieldName("unrealized_pnl")
  @SchemaFieldDescription("(mark - entry) x qty, before fees")
  public abstract double getUnrealizedPnl();

  /** The marking bar's window end. */
  @SchemaFieldNumber("7")
  @SchemaFieldName("as_of")
  @SchemaFieldDescription("Window end of the marking bar, UTC")
  public abstract Instant getAsOf();

  @SchemaCreate
  public static Position create(
      String symbol,
      String strategy,
      long qty,
      Instant entryTime,
      double entryPrice,
      double markPrice,
      double unrealizedPnl,
      Instant asOf) {
    return new AutoValue_Position(
        symbol, strategy, qty, entryTime, entryPrice, markPrice, unrealizedPnl, asOf);
  }
}
