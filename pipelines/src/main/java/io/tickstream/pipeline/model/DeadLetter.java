package io.tickstream.pipeline.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldDescription;
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
  @SchemaFieldDescription("Wall-clock time the pipeline rejected the record, UTC")
  public abstract Instant getReceivedAt();

  /**
   * Best known event time: the record's own timestamp if readable, else its source's. Partitions
   * the dataset.
   */
  @SchemaFieldNumber("1")
  @SchemaFieldName("event_time")
  @SchemaFieldDescription("Best known event time: the record timestamp if readable, else its source time")
  public abstract Instant getEventTime();

  /** The source, e.g. {@code kafka:127.0.0.1:9092/ticks} or {@code file:/data/ticks.jsonl}. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("source")
  @SchemaFieldDescription("Where the record came from, e.g. kafka:host:9092/ticks or file:/data/ticks.jsonl")
  public abstract String getSource();

  /**
   * Where in the source: {@code partition=3 offset=1200}, {@code shard=... seq=...}, {@code
   * line=17}.
   */
  @SchemaFieldNumber("3")
  @SchemaFieldName("position")
  @SchemaFieldDescription("Where in the source, e.g. partition=3 offset=1200 or line=17")
  public abstract String getPosition();

  /** The raw record: text, or base64 when it is not UTF-8 (see {@link #getPayloadEncoding}). */
  @SchemaFieldNumber("4")
  @SchemaFieldName("payload")
  @SchemaFieldDescription("The raw record: text, or base64 when it is not UTF-8")
  public abstract String getPayload();

  /** {@code utf8} or {@code base64}. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("payload_encoding")
  @SchemaFieldDescription("utf8 or base64")
  public abstract String getPayloadEncoding();

  /** A {@link io.tickstream.tick.TickErrorCode} name, or a later step's code. */
  @SchemaFieldNumber("6")
  @SchemaFieldName("error_code")
  @SchemaFieldDescription("Why it was rejected, e.g. MALFORMED_JSON")
  public abstract String getErrorCode();

  @SchemaFieldNumber("7")
  @SchemaFieldName("error_message")
  @SchemaFieldDescription("The rejection in words")
  public abstract String getErrorMessage();

  /** The pipeline step that rejected the record, e.g. {@code ParseTicks}. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("step")
  @SchemaFieldDescription("The pipeline step that rejected it, e.g. ParseTicks")
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
