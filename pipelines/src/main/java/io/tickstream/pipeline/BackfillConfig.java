package io.tickstream.pipeline;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.Durations;
import io.tickstream.pipeline.io.TickFileFormat;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.transforms.ProcessTicks;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.annotation.Nullable;

/**
 * A backfill's settings, checked once and frozen. The command line makes one ({@code
 * io.tickstream.cli.BackfillCommand}); tests use {@link #builder()}.
 */
@AutoValue
public abstract class BackfillConfig {
  /** The default of {@link #targetFileBytes()}, in MiB as {@code --target-file-mb} takes it. */
  public static final int DEFAULT_TARGET_FILE_MB = 128;

  /** The default of {@link #warmUp()}, as typed on the command line. */
  public static final String DEFAULT_WARM_UP = "1d";

  /** The files to read: a glob, local or {@code s3://}. */
  public abstract String input();

  public abstract TickFileFormat format();

  /** The first UTC day to write, or null for the input's first. */
  public abstract @Nullable LocalDate from();

  /** The last UTC day to write (inclusive), or null for the input's last. */
  public abstract @Nullable LocalDate to();

  /**
   * Event time read before {@link #from()} to warm up averages, positions and dedup ids, and not
   * written.
   */
  public abstract Duration warmUp();

  public abstract Duration dedupWindow();

  public abstract Duration maxOutOfOrderness();

  public abstract Duration stateTtl();

  public abstract StrategyConfig strategy();

  /** The lake; its shards are files per partition (before splitting at the target size). */
  public abstract LakeConfig lake();

  /** A file is closed once it reaches about this size. */
  public abstract long targetFileBytes();

  /** Tells this run's staged files from other runs': letters and digits. */
  public abstract String runId();

  /** The first event time written: the start of {@link #from()}, or none. */
  public @Nullable Long fromMillis() {
    return from() == null ? null : from().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The end of the event time written (exclusive): the end of {@link #to()}, or none. */
  public @Nullable Long toMillisExclusive() {
    return to() == null
        ? null
        : to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The command line's defaults for what is not set. */
  public static Builder builder() {
    return new AutoValue_BackfillConfig.Builder()
        .setFormat(TickFileFormat.JSONL)
        .setWarmUp(Durations.parse(DEFAULT_WARM_UP))
        .setDedupWindow(Durations.parse(ProcessTicks.DEFAULT_DEDUP_WINDOW))
        .setMaxOutOfOrderness(Durations.parse(ProcessTicks.DEFAULT_MAX_OUT_OF_ORDERNESS))
        .setStateTtl(Durations.parse(ProcessTicks.DEFAULT_STATE_TTL))
        .setStrategy(StrategyConfig.defaults())
        .setTargetFileBytes(DEFAULT_TARGET_FILE_MB * 1024L * 1024L);
  }

  /** Builds a config; {@link #build} checks the fields together. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setInput(String input);

    public abstract Builder setFormat(TickFileFormat format);

    public abstract Builder setFrom(@Nullable LocalDate from);

    public abstract Builder setTo(@Nullable LocalDate to);

    public abstract Builder setWarmUp(Duration warmUp);

    public abstract Builder setDedupWindow(Duration dedupWindow);

    public abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    public abstract Builder setStateTtl(Duration stateTtl);

    public abstract Builder setStrategy(StrategyConfig strategy);

    public abstract Builder setLake(LakeConfig lake);

    public abstract Builder setTargetFileBytes(long targetFileBytes);

    public abstract Builder setRunId(String runId);

    abstract BackfillConfig autoBuild();

    /**
     * @throws IllegalArgumentException when {@code from} is after {@code to}, or the warm-up is
     *     shorter than the slow average's bars
     */
    public BackfillConfig build() {
      BackfillConfig c = autoBuild();
      if (c.from() != null && c.to() != null && c.from().isAfter(c.to())) {
        throw new IllegalArgumentException("from " + c.from() + " is after to " + c.to());
      }
      if (c.warmUp().compareTo(Duration.ofMinutes(c.strategy().slow())) < 0) {
        throw new IllegalArgumentException(
            "a warm-up of "
                + Durations.format(c.warmUp())
                + " is shorter than the slow average's "
                + c.strategy().slow()
                + " one-minute bars");
      }
      if (c.targetFileBytes() < 1) {
        throw new IllegalArgumentException("the target file size must be positive");
      }
      return c;
    }
  }
}
