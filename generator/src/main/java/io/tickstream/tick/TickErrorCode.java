package io.tickstream.tick;

/** Why a record is not a valid tick. Stored in the dead-letter dataset's {@code error_code}. */
public enum TickErrorCode {
  /** The payload is not UTF-8 text. */
  NOT_UTF8,
  /** The payload is not parseable JSON (including an empty payload or trailing garbage). */
  MALFORMED_JSON,
  /** The payload is JSON but not a JSON object. */
  NOT_AN_OBJECT,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A field holds the wrong JSON type (a string price, a fractional volume, ...). */
  BAD_TYPE,
  /** {@code event_id} is empty or longer than 128 characters. */
  BAD_EVENT_ID,
  /** {@code symbol} is not 1-12 characters of {@code A-Z 0-9 . - ^}. */
  BAD_SYMBOL,
  /** {@code price} is zero or negative. */
  NON_POSITIVE_PRICE,
  /** {@code price} is NaN or infinite. */
  NON_FINITE_PRICE,
  /** {@code volume} is negative. */
  NEGATIVE_VOLUME,
  /** {@code timestamp} is not an ISO-8601 date-time. */
  BAD_TIMESTAMP,
  /** {@code market_cap} is negative or not finite. */
  BAD_MARKET_CAP,
  /** {@code pe_ratio} is NaN or infinite. */
  BAD_PE_RATIO
}
