package io.tickstream.pipeline.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How tick files are laid out, as {@code --format} names it. */
public enum TickFileFormat {
  /** JSON lines, one tick per line, gzip or not (by extension), e.g. Firehose output. */
  JSONL("jsonl"),
  /** One JSON object per file, e.g. {@code stock_market_20250102_140000_<uuid>.json}. */
  JSON_PER_FILE("json-per-file"),
  /** Price history in CSV, mapped to ticks as {@code tickstream generate --replay} does. */
  CSV("csv");

  private final String flag;

  TickFileFormat(String flag) {
    this.flag = flag;
  }

  /** The name on the command line, e.g. {@code json-per-file}. */
  public String flag() {
    return flag;
  }

  /**
   * The format called {@code name}.
   *
   * @throws IllegalArgumentException naming the known formats
   */
  public static TickFileFormat parse(String name) {
    for (TickFileFormat f : values()) {
      if (f.flag.equals(name.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "is not a format; one of "
            + Arrays.stream(values()).map(TickFileFormat::flag).collect(Collectors.joining(", ")));
  }
}
