package io.tickstream.pipeline.model;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/** A moving-average crossover on a finalized bar: the {@code signals} dataset. */
@DefaultSchema(JavaFieldSchema.class)
public final class Signal {
  /** BUY when the fast mean crosses above the slow one, SELL when it crosses below. */
  public static final String BUY = "BUY";

  public static final String SELL = "SELL";

  @SchemaFieldName("symbol")
  public final String symbol;

  /** The deciding bar's window end. */
  @SchemaFieldName("ts")
  public final Instant ts;

  /** {@link #BUY} or {@link #SELL}. */
  @SchemaFieldName("side")
  public final String side;

  /** The deciding bar's close. */
  @SchemaFieldName("price")
  public final double price;

  /** Mean of the last {@code fast} closes. */
  @SchemaFieldName("fast")
  public final double fast;

  /** Mean of the last {@code slow} closes. */
  @SchemaFieldName("slow")
  public final double slow;

  /** Which parameter set decided, e.g. {@code sma_5_20}. */
  @SchemaFieldName("strategy")
  public final String strategy;

  @SchemaCreate
  public Signal(
      String symbol,
      Instant ts,
      String side,
      double price,
      double fast,
      double slow,
      String strategy) {
    this.symbol = symbol;
    this.ts = ts;
    this.side = side;
    this.price = price;
    this.fast = fast;
    this.slow = slow;
    this.strategy = strategy;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Signal)) {
      return false;
    }
    Signal s = (Signal) o;
    return symbol.equals(s.symbol)
        && ts.equals(s.ts)
        && side.equals(s.side)
        && Double.compare(price, s.price) == 0
        && Double.compare(fast, s.fast) == 0
        && Double.compare(slow, s.slow) == 0
        && strategy.equals(s.strategy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, ts, side, price, fast, slow, strategy);
  }

  @Override
  public String toString() {
    return String.format(
        "Signal{%s %s %s @%s fast=%s slow=%s %s}", symbol, ts, side, price, fast, slow, strategy);
  }
}
