package io.tickstream.tick;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/**
 * One stock tick: the record every producer publishes and every pipeline reads.
 *
 * <p>This class is the single definition of the tick contract. Its Beam schema (snake_case field
 * names, {@code timestamp} as a UTC timestamp-millis) is also the schema of the {@code ticks}
 * dataset in the lake. The JSON form is written by {@link TickJson} and read and validated by
 * {@link TickParser}.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class Tick {
  /**
   * Unique per tick; a resend of the same tick keeps it. The generator writes {@code SYMBOL-SEQ}.
   */
  @SchemaFieldName("event_id")
  public final String eventId;

  /** 1 to 12 characters of {@code A-Z 0-9 . - ^}. */
  @SchemaFieldName("symbol")
  public final String symbol;

  /** Trade price in the instrument's currency; finite and greater than zero. */
  @SchemaFieldName("price")
  public final double price;

  /** Shares traded; zero or more. */
  @SchemaFieldName("volume")
  public final long volume;

  /** Event time, UTC, millisecond precision. */
  @SchemaFieldName("timestamp")
  public final Instant timestamp;

  /** Market capitalisation in the instrument's currency; zero or more, or null when unknown. */
  @SchemaFieldName("market_cap")
  public final @Nullable Double marketCap;

  /** Price over earnings per share; finite, or null when unknown. */
  @SchemaFieldName("pe_ratio")
  public final @Nullable Double peRatio;

  @SchemaCreate
  public Tick(
      String eventId,
      String symbol,
      double price,
      long volume,
      Instant timestamp,
      @Nullable Double marketCap,
      @Nullable Double peRatio) {
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.symbol = Objects.requireNonNull(symbol, "symbol");
    this.price = price;
    this.volume = volume;
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.marketCap = marketCap;
    this.peRatio = peRatio;
  }

  /** Event time in epoch milliseconds. */
  public long timestampMillis() {
    return timestamp.getMillis();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Tick)) {
      return false;
    }
    Tick t = (Tick) o;
    return Double.compare(price, t.price) == 0
        && volume == t.volume
        && eventId.equals(t.eventId)
        && symbol.equals(t.symbol)
        && timestamp.equals(t.timestamp)
        && Objects.equals(marketCap, t.marketCap)
        && Objects.equals(peRatio, t.peRatio);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, symbol, price, volume, timestamp, marketCap, peRatio);
  }

  @Override
  public String toString() {
    return TickJson.toJson(this);
  }
}
