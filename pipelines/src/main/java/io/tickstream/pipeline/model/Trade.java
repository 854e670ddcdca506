package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
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
  public abstract String getTradeId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("symbol")
  public abstract String getSymbol();

  @SchemaFieldNumber("2")
  @SchemaFieldName("strategy")
  public abstract String getStrategy();

  @SchemaFieldNumber("3")
  @SchemaFieldName("qty")
  public abstract long getQty();

  @SchemaFieldNumber("4")
  @SchemaFieldName("entry_time")
  public abstract Instant getEntryTime();

  @SchemaFieldNumber("5")
  @SchemaFieldName("entry_price")
  public abstract double getEntryPrice();

  @SchemaFieldNumber("6")
  @SchemaFieldName("exit_time")
  public abstract Instant getExitTime();

  @SchemaFieldNumber("7")
  @SchemaFieldName("exit_price")
  public abstract double getExitPrice();

  /** (exit - entry) x qty - fees, fees = (entry + exit) x qty x fee_bps / 10,000. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("pnl")
  public abstract double getPnl();

  /** pnl / (entry x qty) x 100. */
  @SchemaFieldNumber("9")
  @SchemaFieldName("return_pct")
  public abstract double getReturnPct();

  @SchemaFieldNumber("10")
  @SchemaFieldName("holding_seconds")
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
