package io.tickstream.pipeline.sink.lake;

import io.tickstream.generator.Durations;
import io.tickstream.pipeline.model.Dataset;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * Where and how the lake is written: an immutable value made once from the options ({@link
 * #fromOptions}) and handed to the write transforms.
 *
 * <ul>
 *   <li>{@link #root()}: a local directory (made absolute) or {@code s3://bucket/prefix}; dataset
 *       {@code d} lives at {@link #location(Dataset) root/d}.
 *   <li>{@link #fileWindow()}: the event-time span of one file, whole seconds (default {@value
 *       #DEFAULT_FILE_WINDOW_TEXT}).
 *   <li>{@link #shards()}: files per file window, per pane, per partition (default {@value
 *       #DEFAULT_SHARDS}).
 *   <li>{@link #allowedLateness()}: how long after the watermark passes a file window records for
 *       it are still written, in extra files (default {@value #DEFAULT_ALLOWED_LATENESS_TEXT}).
 *       Records that arrive later than that relative to the watermark are the only ones a windowed
 *       write can drop: the runner discards them as expired window state and counts them in Beam's
 *       {@code droppedDueToLateness} counter.
 * </ul>
 */
public final class LakeConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_FILE_WINDOW_TEXT = "1m";
  public static final String DEFAULT_ALLOWED_LATENESS_TEXT = "1d";
  public static final Duration DEFAULT_FILE_WINDOW = Duration.ofMinutes(1);
  public static final int DEFAULT_SHARDS = 1;
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofDays(1);

  /** More shards than this per window and partition only makes small files smaller. */
  public static final int MAX_SHARDS = 1024;

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private final String root;
  private final Duration fileWindow;
  private final int shards;
  private final Duration allowedLateness;

  private LakeConfig(String root, Duration fileWindow, int shards, Duration allowedLateness) {
    this.root = root;
    this.fileWindow = fileWindow;
    this.shards = shards;
    this.allowedLateness = allowedLateness;
  }

  /**
   * A lake at {@code root} with the default file window, shards and allowed lateness.
   *
   * @param root a local directory (relative ones are made absolute now) or a URI such as {@code
   *     s3://bucket/prefix}; trailing slashes are dropped
   */
  public static LakeConfig at(String root) {
    return new LakeConfig(
        normalizeRoot(root), DEFAULT_FILE_WINDOW, DEFAULT_SHARDS, DEFAULT_ALLOWED_LATENESS);
  }

  /** The config the options describe; see {@link LakeOptions}. */
  public static LakeConfig fromOptions(LakeOptions options) {
    if (options.getLake() == null) {
      throw new IllegalArgumentException("--lake is required (a directory or s3://bucket/prefix)");
    }
    return at(options.getLake())
        .withFileWindow(parse("--file-window", options.getFileWindow()))
        .withShards(options.getLakeShards())
        .withAllowedLateness(parse("--lake-allowed-lateness", options.getLakeAllowedLateness()));
  }

  /** The event-time span of one file: positive, whole seconds, at most one day. */
  public LakeConfig withFileWindow(Duration fileWindow) {
    Objects.requireNonNull(fileWindow, "fileWindow");
    if (fileWindow.isNegative()
        || fileWindow.isZero()
        || fileWindow.toMillis() % 1000 != 0
        || fileWindow.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "fileWindow must be whole seconds between 1s and 1d (file names carry the window to the"
              + " second), got "
              + Durations.format(fileWindow));
    }
    return new LakeConfig(root, fileWindow, shards, allowedLateness);
  }

  /** Files per file window, pane and partition: 1 to {@value #MAX_SHARDS}. */
  public LakeConfig withShards(int shards) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "shards must be between 1 and " + MAX_SHARDS + ", got " + shards);
    }
    return new LakeConfig(root, fileWindow, shards, allowedLateness);
  }

  /** How late (behind the watermark) records are still written: zero or more. */
  public LakeConfig withAllowedLateness(Duration allowedLateness) {
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    if (allowedLateness.isNegative()) {
      throw new IllegalArgumentException(
          "allowedLateness must not be negative, got " + allowedLateness);
    }
    return new LakeConfig(root, fileWindow, shards, allowedLateness);
  }

  /** The lake root without a trailing slash, e.g. {@code /data/lake} or {@code s3://b/lake}. */
  public String root() {
    return root;
  }

  public Duration fileWindow() {
    return fileWindow;
  }

  public int shards() {
    return shards;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  /** Where a dataset's partitions live: {@code <root>/<dataset name>}. */
  public String location(Dataset<?> dataset) {
    return root + "/" + dataset.name();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof LakeConfig)) {
      return false;
    }
    LakeConfig c = (LakeConfig) o;
    return root.equals(c.root)
        && fileWindow.equals(c.fileWindow)
        && shards == c.shards
        && allowedLateness.equals(c.allowedLateness);
  }

  @Override
  public int hashCode() {
    return Objects.hash(root, fileWindow, shards, allowedLateness);
  }

  @Override
  public String toString() {
    return String.format(
        "LakeConfig{root=%s fileWindow=%s shards=%d allowedLateness=%s}",
        root, Durations.format(fileWindow), shards, Durations.format(allowedLateness));
  }

  private static String normalizeRoot(String root) {
    Objects.requireNonNull(root, "root");
    String r = root.trim();
    if (SCHEME.matcher(r).matches()) {
      String scheme = r.substring(0, r.indexOf("://"));
      String rest = r.substring(scheme.length() + 3).replaceAll("/+$", "");
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(
            "lake root " + root + " names no bucket or directory (e.g. s3://bucket/lake)");
      }
      return scheme.toLowerCase(java.util.Locale.ROOT) + "://" + rest;
    }
    if (r.isEmpty()) {
      throw new IllegalArgumentException("lake root is empty");
    }
    Path path = Path.of(r).toAbsolutePath().normalize();
    if (path.getParent() == null) {
      throw new IllegalArgumentException("lake root must not be the file system root: " + root);
    }
    return path.toString();
  }

  private static Duration parse(String option, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }
}
