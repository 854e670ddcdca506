package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/**
 * One record as a source read it, before parsing: payload bytes plus where it came from. Sources
 * timestamp it with the record's event time when it can be read cheaply, else the source's best
 * guess, so that dead letters land in event-time windows next to their neighbours.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class RawRecord {
  /** The source, e.g. {@code kafka:127.0.0.1:9092/ticks}. */
  @SchemaFieldNumber("0")
  public abstract String getSource();

  /** Where in the source, e.g. {@code partition=3 offset=1200} or {@code line=17}. */
  @SchemaFieldNumber("1")
  public abstract String getPosition();

  @SchemaFieldNumber("2")
  @SuppressWarnings("mutable")
  public abstract byte[] getPayload();

  @SchemaCreate
  public static RawRecord create(String source, String position, byte[] payload) {
    return new AutoValue_RawRecord(source, position, payload);
  }
}
