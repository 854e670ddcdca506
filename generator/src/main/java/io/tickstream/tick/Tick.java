package io.tickstream.tick;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldDescription;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/**
 * One stock tick: the record every producer publishes and every pipeline reads.
 *
 * <p>This class is the single definition of the tick contract. Its Beam schema (snake_case field
 * names, {@code timestamp} as a UTC timestamp-millis) is also the schema of the {@code ticks}
 * dataset in the lake. The JSON form is written by {@link TickJson} and read and validated by
 * {@link TickParser}. An immutable value: equality is field by field.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Tick {
  /**
   * Unique per tick; a resend of the same tick keeps it. The generator writes {@code SYMBOL-SEQ}.
   */
  @SchemaFieldNumber("0")
  @SchemaFieldName("event_id")
  @SchemaFieldDescription("Unique per tick; a resend of the same tick keeps it")
  public abstract String getEventId();

  /** 1 to 12 characters of {@code A-Z 0-9 . - ^}. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("symbol")
  @SchemaFieldDescription("Instrument symbol, 1-12 characters of A-Z 0-9 . - ^")
  public abstract String getSymbol();

  /** Trade price in the instrument's currency; finite and greater than zero. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("price")
  @SchemaFieldDescription("Trade price in the instrument currency, greater than zero")
  public abstract double getPrice();

  /** Shares traded; zero or more. */
  @SchemaFieldNumber("3")
  @SchemaFieldName("volume")
  @SchemaFieldDescription("Shares traded, zero or more")
  public abstract long getVolume();

  /** Event time, UTC, millisecond precision. */
  @SchemaFieldNumber("4")
  @SchemaFieldName("timestamp")
  @SchemaFieldDescription("Event time, UTC, millisecond precision")
  public abstract Instant getTimestamp();

  /** Market capitalisation in the instrument's currency; zero or more, or null when unknown. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("market_cap")
  @SchemaFieldDescription("Market capitalisation in the instrument currency, null when unknown")
  @Nullable
  public abstract Double getMarketCap();

  /** Price over earnings per share; finite, or null when unknown. */
  @SchemaFieldNumber("6")
  @SchemaFieldName("pe_ratio")
  @SchemaFieldDescription("Price over earnings per share, null when unknown")
  @Nullable
  public abstract Double getPeRatio();

  @SchemaCreate
  public static Tick create(
      String eventId,
      String symbol,
      double price,
      long volume,
      Instant timestamp,
      @Nullable Double marketCap,
      @Nullable Double peRatio) {
    return new AutoValue_Tick(eventId, symbol, price, volume, timestamp, marketCap, peRatio);
  }

  /** Event time in epoch milliseconds. */
  public long timestampMillis() {
    return getTimestamp().getMillis();
  }

  @Override
  public final String toString() {
    return TickJson.toJson(this);
  }
}
