package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/**
 * A record that could not become a tick, with everything needed to find, understand and replay it:
 * the {@code dead_letter} dataset.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {
  /** Wall-clock time the pipeline rejected the record. */
  @SchemaFieldNumber("0")
  @SchemaFieldName("received_at")
  public abstract Instant getReceivedAt();

  /**
   * Best known event time: the record's own timestamp if readable, else its source's. Partitions
   * the dataset.
   */
  @SchemaFieldNumber("1")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  /** The source, e.g. {@code kafka:127.0.0.1:9092/ticks} or {@code file:/data/ticks.jsonl}. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("source")
  public abstract String getSource();

  /**
   * Where in the source: {@code partition=3 offset=1200}, {@code shard=... seq=...}, {@code
   * line=17}.
   */
  @SchemaFieldNumber("3")
  @SchemaFieldName("position")
  public abstract String getPosition();

  /** The raw record: text, or base64 when it is not UTF-8 (see {@link #getPayloadEncoding}). */
  @SchemaFieldNumber("4")
  @SchemaFieldName("payload")
  public abstract String getPayload();

  /** {@code utf8} or {@code base64}. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("payload_encoding")
  public abstract String getPayloadEncoding();

  /** A {@link io.tickstream.tick.TickErrorCode} name, or a later step's code. */
  @SchemaFieldNumber("6")
  @SchemaFieldName("error_code")
  public abstract String getErrorCode();

  @SchemaFieldNumber("7")
  @SchemaFieldName("error_message")
  public abstract String getErrorMessage();

  /** The pipeline step that rejected the record, e.g. {@code ParseTicks}. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("step")
  public abstract String getStep();

  @SchemaCreate
  public static DeadLetter create(
      Instant receivedAt,
      Instant eventTime,
      String source,
      String position,
      String payload,
      String payloadEncoding,
      String errorCode,
      String errorMessage,
      String step) {
    return new AutoValue_DeadLetter(
        receivedAt,
        eventTime,
        source,
        position,
        payload,
        payloadEncoding,
        errorCode,
        errorMessage,
        step);
  }
}
