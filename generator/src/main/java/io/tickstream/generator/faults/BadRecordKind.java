package io.tickstream.generator.faults;

import io.tickstream.tick.TickErrorCode;

/** The kinds of broken record the generator injects, each with the code the parser must give it. */
public enum BadRecordKind {
  /** The JSON text is cut off in the middle. */
  MALFORMED_JSON(TickErrorCode.MALFORMED_JSON),
  /** The {@code price} field is absent. */
  MISSING_FIELD(TickErrorCode.MISSING_FIELD),
  /** The {@code price} field is a string. */
  WRONG_TYPE(TickErrorCode.BAD_TYPE),
  /** The {@code price} is negative. */
  NEGATIVE_PRICE(TickErrorCode.NON_POSITIVE_PRICE),
  /** The {@code price} is the bare token {@code NaN}, as Python's json.dumps writes it. */
  NAN_PRICE(TickErrorCode.NON_FINITE_PRICE),
  /** The {@code timestamp} is in a day-first local format the contract does not allow. */
  BAD_TIMESTAMP(TickErrorCode.BAD_TIMESTAMP);

  private final TickErrorCode expectedCode;

  BadRecordKind(TickErrorCode expectedCode) {
    this.expectedCode = expectedCode;
  }

  /** The code {@link io.tickstream.tick.TickParser} gives a record of this kind. */
  public TickErrorCode expectedCode() {
    return expectedCode;
  }
}
