package io.tickstream.pipeline.model;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/**
 * A record that could not become a tick, with everything needed to find, understand and replay it:
 * the {@code dead_letter} dataset.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class DeadLetter {
  /** Wall-clock time the pipeline rejected the record. */
  @SchemaFieldName("received_at")
  public final Instant receivedAt;

  /**
   * Best known event time: the record's own timestamp if readable, else its source's. Partitions
   * the dataset.
   */
  @SchemaFieldName("event_time")
  public final Instant eventTime;

  /** The source, e.g. {@code kafka:127.0.0.1:9092/ticks} or {@code file:/data/ticks.jsonl}. */
  @SchemaFieldName("source")
  public final String source;

  /**
   * Where in the source: {@code partition=3 offset=1200}, {@code shard=... seq=...}, {@code
   * line=17}.
   */
  @SchemaFieldName("position")
  public final String position;

  /** The raw record: text, or base64 when it is not UTF-8 (see {@link #payloadEncoding}). */
  @SchemaFieldName("payload")
  public final String payload;

  /** {@code utf8} or {@code base64}. */
  @SchemaFieldName("payload_encoding")
  public final String payloadEncoding;

  /** A {@link io.tickstream.tick.TickErrorCode} name, or a later step's code. */
  @SchemaFieldName("error_code")
  public final String errorCode;

  @SchemaFieldName("error_message")
  public final String errorMessage;

  /** The pipeline step that rejected the record, e.g. {@code ParseTicks}. */
  @SchemaFieldName("step")
  public final String step;

  @SchemaCreate
  public DeadLetter(
      Instant receivedAt,
      Instant eventTime,
      String source,
      String position,
      String payload,
      String payloadEncoding,
      String errorCode,
      String errorMessage,
      String step) {
    this.receivedAt = receivedAt;
    this.eventTime = eventTime;
    this.source = source;
    this.position = position;
    this.payload = payload;
    this.payloadEncoding = payloadEncoding;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.step = step;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return receivedAt.equals(d.receivedAt)
        && eventTime.equals(d.eventTime)
        && source.equals(d.source)
        && position.equals(d.position)
        && payload.equals(d.payload)
        && payloadEncoding.equals(d.payloadEncoding)
        && errorCode.equals(d.errorCode)
        && errorMessage.equals(d.errorMessage)
        && step.equals(d.step);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, position, payload, errorCode);
  }

  @Override
  public String toString() {
    return "DeadLetter{" + errorCode + " " + source + " " + position + ": " + errorMessage + "}";
  }
}
