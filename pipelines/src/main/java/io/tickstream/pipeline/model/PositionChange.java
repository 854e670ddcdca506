package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/**
 * What happened to a symbol's open position at one bar: opened or marked (the new snapshot), or
 * closed (no snapshot). Keeps a key-value store of open positions, such as the DynamoDB table of
 * the AWS design, in step: upsert on open and on each mark, delete on close.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class PositionChange {
  @SchemaFieldNumber("0")
  public abstract String getSymbol();

  @SchemaFieldNumber("1")
  public abstract String getStrategy();

  /** The position after the bar, or null when the bar closed it. */
  @SchemaFieldNumber("2")
  @Nullable
  public abstract Position getPosition();

  @SchemaCreate
  public static PositionChange create(String symbol, String strategy, @Nullable Position position) {
    return new AutoValue_PositionChange(symbol, strategy, position);
  }

  /** True when the position was closed. */
  public boolean closed() {
    return getPosition() == null;
  }
}
