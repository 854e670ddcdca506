package io.tickstream.generator.replay;

/**
 * A row of a replay file that could not be turned into a tick.
 *
 * @param line 1-based line number in the file
 * @param reason what is wrong, naming the column and the cell
 */
public record RejectedRow(long line, String reason) {
  @Override
  public String toString() {
    return "line " + line + ": " + reason;
  }
}
