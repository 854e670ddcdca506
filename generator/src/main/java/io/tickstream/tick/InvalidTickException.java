package io.tickstream.tick;

/**
 * A record that breaks the tick contract, with the reason as a code and a message that names the
 * field and the offending value. Thrown per bad record, so it carries no stack trace.
 */
public final class InvalidTickException extends Exception {
  private static final long serialVersionUID = 1L;

  private final TickErrorCode code;

  public InvalidTickException(TickErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public TickErrorCode code() {
    return code;
  }
}
