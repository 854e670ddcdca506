package io.tickstream.pipeline.model;

import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * What happened to a symbol's open position at one bar: opened or marked (the new snapshot), or
 * closed (no snapshot). Keeps a key-value store of open positions, such as the DynamoDB table of
 * the AWS design, in step: upsert on open and on each mark, delete on close.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class PositionChange {
  public final String symbol;
  public final String strategy;

  /** The position after the bar, or null when the bar closed it. */
  public final @Nullable Position position;

  @SchemaCreate
  public PositionChange(String symbol, String strategy, @Nullable Position position) {
    this.symbol = symbol;
    this.strategy = strategy;
    this.position = position;
  }

  /** True when the position was closed. */
  public boolean closed() {
    return position == null;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof PositionChange)) {
      return false;
    }
    PositionChange o = (PositionChange) other;
    return java.util.Objects.equals(symbol, o.symbol)
        && java.util.Objects.equals(strategy, o.strategy)
        && java.util.Objects.equals(position, o.position);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(symbol, strategy, position);
  }
}
