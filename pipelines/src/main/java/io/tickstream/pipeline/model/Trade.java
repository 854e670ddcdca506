package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldDescription;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** A closed long position: the {@code trades} dataset, partitioned by exit date. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Trade {
  /** {@code SYMBOL-<entry time in epoch ms>}. */
  @SchemaFieldNumber("0")
  @SchemaFieldName("trade_id")
  @SchemaFieldDescription("SYMBOL-<entry time in epoch ms>")
  public abstract String getTradeId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("symbol")
  @SchemaFieldDescription("Instrument symbol")
  public abstract String getSymbol();

  @SchemaFieldNumber("2")
  @SchemaFieldName("strategy")
  @SchemaFieldDescription("Strategy that made the trade")
  public abstract String getStrategy();

  @SchemaFieldNumber("3")
  @SchemaFieldName("qty")
  @SchemaFieldDescription("Shares bought and sold")
  public abstract long getQty();

  @SchemaFieldNumber("4")
  @SchemaFieldName("entry_time")
  @SchemaFieldDescription("When the position was opened, UTC")
  public abstract Instant getEntryTime();

  @SchemaFieldNumber("5")
  @SchemaFieldName("entry_price")
  @SchemaFieldDescription("Price the position was opened at")
  public abstract double getEntryPrice();

  @SchemaFieldNumber("6")
  @SchemaFieldName("exit_time")
  @SchemaFieldDescription("When the position was closed, UTC")
  public abstract Instant getExitTime();

  @SchemaFieldNumber("7")
  @SchemaFieldName("exit_price")
  @SchemaFieldDescription("Price the position was closed at")
  public abstract double getExitPrice();

  /** (exit - entry) x qty - fees, fees = (entry + exit) x qty x fee_bps / 10,000. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("pnl")
  @SchemaFieldDescription("(exit - entry) x qty minus fees on both legs")
  public abstract double getPnl();

  /** pnl / (entry x qty) x 100. */
  @SchemaFieldNumber("9")
  @SchemaFieldName("return_pct")
  @SchemaFieldDescription("pnl / (entry x qty) x 100")
  public abstract double getReturnPct();

  @SchemaFieldNumber("10")
  @SchemaFieldName("holding_seconds")
  @SchemaFieldDescription("Seconds from entry to exit")
  public abstract long getHoldingSeconds();

  @SchemaCreate
  public static Trade create(
      String tradeId,
      String symbol,
      String strategy,
      long qty,
      Instant entryTime,
      double entryPrice,
      Instant exitTime,
      double exitPrice,
      double pnl,
      double returnPct,
      long holdingSeconds) {
    return new AutoValue_Trade(
        tradeId,
        symbol,
        strategy,
        qty,
        entryTime,
        entryPrice,
        exitTime,
        exitPrice,
        pnl,
        returnPct,
        holdingSeconds);
  }
}
