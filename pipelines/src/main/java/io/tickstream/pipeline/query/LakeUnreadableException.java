package io.tickstream.pipeline.query;

/** The lake cannot be queried: the message says why in one line, for the user. */
public final class LakeUnreadableException extends Exception {
  private static final long serialVersionUID = 1L;

  public LakeUnreadableException(String message) {
    super(message);
  }

  public LakeUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}
