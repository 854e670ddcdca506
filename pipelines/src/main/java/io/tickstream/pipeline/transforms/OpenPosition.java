package io.tickstream.pipeline.transforms;

import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/** The open long position of one symbol, kept in state between its opening and closing signal. */
@DefaultSchema(JavaFieldSchema.class)
public final class OpenPosition {
  public final long qty;
  public final long entryMillis;
  public final double entryPrice;

  @SchemaCreate
  public OpenPosition(long qty, long entryMillis, double entryPrice) {
    this.qty = qty;
    this.entryMillis = entryMillis;
    this.entryPrice = entryPrice;
  }
}
