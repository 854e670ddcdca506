package io.tickstream.pipeline.model;

import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/** A finalized bar with the signal it produced, if any: what the position step consumes. */
@DefaultSchema(JavaFieldSchema.class)
public final class BarDecision {
  public final Bar bar;
  public final @Nullable Signal signal;

  @SchemaCreate
  public BarDecision(Bar bar, @Nullable Signal signal) {
    this.bar = bar;
    this.signal = signal;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof BarDecision)) {
      return false;
    }
    BarDecision o = (BarDecision) other;
    return java.util.Objects.equals(bar, o.bar) && java.util.Objects.equals(signal, o.signal);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(bar, signal);
  }
}
