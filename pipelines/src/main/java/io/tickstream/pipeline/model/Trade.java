package io.tickstream.pipeline.model;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/** A closed long position: the {@code trades} dataset, partitioned by exit date. */
@DefaultSchema(JavaFieldSchema.class)
public final class Trade {
  /** {@code SYMBOL-<entry time in epoch ms>}. */
  @SchemaFieldName("trade_id")
  public final String tradeId;

  @SchemaFieldName("symbol")
  public final String symbol;

  @SchemaFieldName("strategy")
  public final String strategy;

  @SchemaFieldName("qty")
  public final long qty;

  @SchemaFieldName("entry_time")
  public final Instant entryTime;

  @SchemaFieldName("entry_price")
  public final double entryPrice;

  @SchemaFieldName("exit_time")
  public final Instant exitTime;

  @SchemaFieldName("exit_price")
  public final double exitPrice;

  /** (exit - entry) x qty - fees, fees = (entry + exit) x qty x fee_bps / 10,000. */
  @SchemaFieldName("pnl")
  public final double pnl;

  /** pnl / (entry x qty) x 100. */
  @SchemaFieldName("return_pct")
  public final double returnPct;

  @SchemaFieldName("holding_seconds")
  public final long holdingSeconds;

  @SchemaCreate
  public Trade(
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
    this.tradeId = tradeId;
    this.symbol = symbol;
    this.strategy = strategy;
    this.qty = qty;
    this.entryTime = entryTime;
    this.entryPrice = entryPrice;
    this.exitTime = exitTime;
    this.exitPrice = exitPrice;
    this.pnl = pnl;
    this.returnPct = returnPct;
    this.holdingSeconds = holdingSeconds;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Trade)) {
      return false;
    }
    Trade t = (Trade) o;
    return tradeId.equals(t.tradeId)
        && symbol.equals(t.symbol)
        && strategy.equals(t.strategy)
        && qty == t.qty
        && entryTime.equals(t.entryTime)
        && Double.compare(entryPrice, t.entryPrice) == 0
        && exitTime.equals(t.exitTime)
        && Double.compare(exitPrice, t.exitPrice) == 0
        && Double.compare(pnl, t.pnl) == 0
        && Double.compare(returnPct, t.returnPct) == 0
        && holdingSeconds == t.holdingSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(tradeId, strategy, qty, exitTime, exitPrice);
  }

  @Override
  public String toString() {
    return String.format(
        "Trade{%s %s qty=%d %s@%s -> %s@%s pnl=%s}",
        tradeId, strategy, qty, entryPrice, entryTime, exitPrice, exitTime, pnl);
  }
}
