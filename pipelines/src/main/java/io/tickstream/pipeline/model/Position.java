package io.tickstream.pipeline.model;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/**
 * A snapshot of an open long position, marked at a finalized bar: the {@code positions} dataset.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class Position {
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

  /** The marking bar's close. */
  @SchemaFieldName("mark_price")
  public final double markPrice;

  /** (mark - entry) x qty, before fees. */
  @SchemaFieldName("unrealized_pnl")
  public final double unrealizedPnl;

  /** The marking bar's window end. */
  @SchemaFieldName("as_of")
  public final Instant asOf;

  @SchemaCreate
  public Position(
      String symbol,
      String strategy,
      long qty,
      Instant entryTime,
      double entryPrice,
      double markPrice,
      double unrealizedPnl,
      Instant asOf) {
    this.symbol = symbol;
    this.strategy = strategy;
    this.qty = qty;
    this.entryTime = entryTime;
    this.entryPrice = entryPrice;
    this.markPrice = markPrice;
    this.unrealizedPnl = unrealizedPnl;
    this.asOf = asOf;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Position)) {
      return false;
    }
    Position p = (Position) o;
    return symbol.equals(p.symbol)
        && strategy.equals(p.strategy)
        && qty == p.qty
        && entryTime.equals(p.entryTime)
        && Double.compare(entryPrice, p.entryPrice) == 0
        && Double.compare(markPrice, p.markPrice) == 0
        && Double.compare(unrealizedPnl, p.unrealizedPnl) == 0
        && asOf.equals(p.asOf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, strategy, qty, entryTime, entryPrice, markPrice, asOf);
  }

  @Override
  public String toString() {
    return String.format(
        "Position{%s %s qty=%d entry=%s@%s mark=%s pnl=%s as_of=%s}",
        symbol, strategy, qty, entryPrice, entryTime, markPrice, unrealizedPnl, asOf);
  }
}
