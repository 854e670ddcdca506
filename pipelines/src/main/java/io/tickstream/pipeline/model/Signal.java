package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldDescription;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** A moving-average crossover on a finalized bar: the {@code signals} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Signal {
  /** BUY when the fast mean crosses above the slow one, SELL when it crosses below. */
  public static final String BUY = "BUY";

  public static final String SELL = "SELL";

  @SchemaFieldNumber("0")
  @SchemaFieldName("symbol")
  @SchemaFieldDescription("Instrument symbol")
  public abstract String getSymbol();

  /** The deciding bar's window end. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("ts")
  @SchemaFieldDescription("Window end of the bar that decided the signal, UTC")
  public abstract Instant getTs();

  /** {@link #BUY} or {@link #SELL}. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("side")
  @SchemaFieldDescription("BUY when the fast mean crosses above the slow one, SELL when below")
  public abstract String getSide();

  /** The deciding bar's close. */
  @SchemaFieldNumber("3")
  @SchemaFieldName("price")
  @SchemaFieldDescription("Close of the deciding bar")
  public abstract double getPrice();

  /** Mean of the last {@code fast} closes. */
  @SchemaFieldNumber("4")
  @SchemaFieldName("fast")
  @SchemaFieldDescription("Fast simple moving average of closes at the crossing")
  public abstract double getFast();

  /** Mean of the last {@code slow} closes. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("slow")
  @SchemaFieldDescription("Slow simple moving average of closes at the crossing")
  public abstract double getSlow();

  /** Which parameter set decided, e.g. {@code sma_5_20}. */
  @SchemaFieldNumber("6")
  @SchemaFieldName("strategy")
  @SchemaFieldDescription("Strategy that produced the signal, e.g. sma_5_20")
  public abstract String getStrategy();

  @SchemaCreate
  public static Signal create(
      String symbol,
      Instant ts,
      String side,
      double price,
      double fast,
      double slow,
      String strategy) {
    return new AutoValue_Signal(symbol, ts, side, price, fast, slow, strategy);
  }
}
