package io.tickstream.pipeline.transforms;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/** The open long position of one symbol, kept in state between its opening and closing signal. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class OpenPosition {
  @SchemaFieldNumber("0")
  public abstract long getQty();

  @SchemaFieldNumber("1")
  public abstract long getEntryMillis();

  @SchemaFieldNumber("2")
  public abstract double getEntryPrice();

  @SchemaCreate
  public static OpenPosition create(long qty, long entryMillis, double entryPrice) {
    return new AutoValue_OpenPosition(qty, entryMillis, entryPrice);
  }
}
