package io.tickstream.pipeline.model;

import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * One record as a source read it, before parsing: payload bytes plus where it came from. Sources
 * timestamp it with the record's event time when it can be read cheaply, else the source's best
 * guess, so that dead letters land in event-time windows next to their neighbours.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class RawRecord {
  /** The source, e.g. {@code kafka:127.0.0.1:9092/ticks}. */
  public final String source;

  /** Where in the source, e.g. {@code partition=3 offset=1200} or {@code line=17}. */
  public final String position;

  public final byte[] payload;

  @SchemaCreate
  public RawRecord(String source, String position, byte[] payload) {
    this.source = source;
    this.position = position;
    this.payload = payload;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof RawRecord)) {
      return false;
    }
    RawRecord r = (RawRecord) o;
    return source.equals(r.source)
        && position.equals(r.position)
        && Arrays.equals(payload, r.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, position, Arrays.hashCode(payload));
  }
}
