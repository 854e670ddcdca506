package io.tickstream.pipeline.sink.datalake;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.Durations;
import io.tickstream.pipeline.model.Dataset;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where and how the lake is written: an immutable value made once (by the command line, or {@link
 * #at} and the {@code withX} methods) and handed to the write transforms.
 *
 * <ul>
 *   <li>{@link #root()}: a local directory (made absolute) or {@code s3://bucket/prefix}; dataset
 *       {@code d} lives at {@link #location(Dataset) root/d}.
 *   <li>{@link #fileWindow()}: the event-time span of one file, whole seconds (default {@value
 *       #DEFAULT_FILE_WINDOW}).
 *   <li>{@link #shards()}: files per file window, per pane, per partition (default {@value
 *       #DEFAULT_SHARDS}).
 *   <li>{@link #allowedLateness()}: how long after the watermark passes a file window records for
 *       it are still written, in extra files (default {@value #DEFAULT_ALLOWED_LATENESS}). Records
 *       that arrive later than that relative to the watermark are the only ones a windowed write
 *       can drop: the summary shows them as {@code lake_rows_in} minus {@code lake_rows_written}.
 *   <li>{@link #writer()}: who writes, naming the directory a streaming write stages its files in
 *       ({@link #tempDirectory}); two jobs writing one lake at once need two writers (default
 *       {@value #DEFAULT_WRITER}).
 * </ul>
 */
@AutoValue
public abstract class LakeConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default of {@code --file-window}, as typed. */
  public static final String DEFAULT_FILE_WINDOW = "1m";

  /** The default of {@code --lake-shards}. */
  public static final int DEFAULT_SHARDS = 1;

  /** The default of {@code --lake-allowed-lateness}, as typed. */
  public static final String DEFAULT_ALLOWED_LATENESS = "1d";

  /** More shards than this per window and partition only makes small files smaller. */
  public static final int MAX_SHARDS = 1024;

  /** The default writer. */
  public static final String DEFAULT_WRITER = "tickstream";

  private static final Pattern WRITER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  /** The lake root without a trailing slash, e.g. {@code /data/lake} or {@code s3://b/lake}. */
  public abstract String root();

  /** The event-time span of one file: positive, whole seconds, at most one day. */
  public abstract Duration fileWindow();

  /** Files per file window, pane and partition: 1 to {@value #MAX_SHARDS}. */
  public abstract int shards();

  /** How late (behind the watermark) records are still written: zero or more. */
  public abstract Duration allowedLateness();

  /** Who writes: lower-case letters, digits, {@code . _ -}; at most 64. */
  public abstract String writer();

  abstract Builder toBuilder();

  /**
   * A lake at {@code root} with the default file window, shards and allowed lateness.
   *
   * @param root a local directory (relative ones are made absolute now) or a URI such as {@code
   *     s3://bucket/prefix}; trailing slashes are dropped
   * @throws IllegalArgumentException when the root names no bucket or directory
   */
  public static LakeConfig at(String root) {
    return new AutoValue_LakeConfig.Builder()
        .setRoot(normalizeRoot(root))
        .setFileWindow(Durations.parse(DEFAULT_FILE_WINDOW))
        .setShards(DEFAULT_SHARDS)
        .setAllowedLateness(Durations.parse(DEFAULT_ALLOWED_LATENESS))
        .setWriter(DEFAULT_WRITER)
        .build();
  }

  public LakeConfig withFileWindow(Duration fileWindow) {
    return toBuilder().setFileWindow(fileWindow).build();
  }

  public LakeConfig withShards(int shards) {
    return toBuilder().setShards(shards).build();
  }

  public LakeConfig withAllowedLateness(Duration allowedLateness) {
    return toBuilder().setAllowedLateness(allowedLateness).build();
  }

  public LakeConfig withWriter(String writer) {
    return toBuilder().setWriter(writer).build();
  }

  /** True for an {@code s3://} lake. */
  public boolean onS3() {
    return root().startsWith("s3://");
  }

  /** Where a dataset's partitions live: {@code <root>/<dataset name>}. */
  public String location(Dataset<?> dataset) {
    return root() + "/" + dataset.name();
  }

  /**
   * Where this writer's streaming write of {@code dataset} stages files before renaming them into
   * place: {@code <root>/<dataset>/.temp-<writer>/}, hidden from Hive-style readers ({@link
   * TempFiles}).
   */
  public String tempDirectory(Dataset<?> dataset) {
    return location(dataset) + "/.temp-" + writer() + "/";
  }

  /** Builds a config; {@link #build} checks every field. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setFileWindow(Duration fileWindow);

    abstract Builder setShards(int shards);

    abstract Builder setAllowedLateness(Duration allowedLateness);

    abstract Builder setWriter(String writer);

    abstract LakeConfig autoBuild();

    LakeConfig build() {
      LakeConfig c = autoBuild();
      Duration w = c.fileWindow();
      if (w.isNegative()
          || w.isZero()
          || w.toMillis() % 1000 != 0
          || w.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "'"
                + Durations.format(w)
                + "' must be whole seconds between 1s and 1d (file names carry the window to the"
                + " second)");
      }
      if (c.shards() < 1 || c.shards() > MAX_SHARDS) {
        throw new IllegalArgumentException(
            "'" + c.shards() + "' must be between 1 and " + MAX_SHARDS);
      }
      if (!WRITER.matcher(c.writer()).matches()) {
        throw new IllegalArgumentException(
            "'"
                + c.writer()
                + "' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a"
                + " letter or digit");
      }
      if (c.allowedLateness().isNegative()) {
        throw new IllegalArgumentException(
            "'" + Durations.format(c.allowedLateness()) + "' must not be negative");
      }
      return c;
    }
  }

  private static String normalizeRoot(String root) {
    String r = root.trim();
    if (SCHEME.matcher(r).matches()) {
      String scheme = r.substring(0, r.indexOf("://"));
      String rest = r.substring(scheme.length() + 3).replaceAll("/+$", "");
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + root + "' names no bucket or directory (e.g. s3://bucket/lake)");
      }
      return scheme.toLowerCase(Locale.ROOT) + "://" + rest;
    }
    if (r.isEmpty()) {
      throw new IllegalArgumentException("'' names no directory");
    }
    Path path = Path.of(r).toAbsolutePath().normalize();
    if (path.getParent() == null) {
      throw new IllegalArgumentException("'" + root + "' is the file system root");
    }
    return path.toString();
  }
}
