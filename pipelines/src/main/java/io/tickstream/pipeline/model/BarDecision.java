package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/** A finalized bar with the signal it produced, if any: what the position step consumes. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class BarDecision {
  @SchemaFieldNumber("0")
  public abstract Bar getBar();

  @SchemaFieldNumber("1")
  @Nullable
  public abstract Signal getSignal();

  @SchemaCreate
  public static BarDecision create(Bar bar, @Nullable Signal signal) {
    return new AutoValue_BarDecision(bar, signal);
  }
}
