package io.tickstream.pipeline.sink.lake;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of the lake writer; turned once into a {@link LakeConfig} by {@link
 * LakeConfig#fromOptions}. An {@code s3://} lake also needs {@link S3LakeOptions}.
 */
public interface LakeOptions extends PipelineOptions {
  @Description("Where the lake is written: a local directory or s3://bucket/prefix.")
  @Default.String("./lake")
  String getLake();

  void setLake(String lake);

  @Description(
      "Event-time span of each lake file, whole seconds: 30s, 1m, 1h (default 1m). Records are"
          + " grouped into files per window, partition and shard.")
  @Default.String(LakeConfig.DEFAULT_FILE_WINDOW_TEXT)
  String getFileWindow();

  void setFileWindow(String fileWindow);

  @Description("Number of files per file window, pane and partition (count, default 1).")
  @Default.Integer(LakeConfig.DEFAULT_SHARDS)
  int getLakeShards();

  void setLakeShards(int shards);

  @Description(
      "How long after the watermark passes a file window its late records are still written, in"
          + " extra files: 10m, 1d (default 1d). Records later than this are dropped by the write"
          + " and counted in Beam's droppedDueToLateness counter.")
  @Default.String(LakeConfig.DEFAULT_ALLOWED_LATENESS_TEXT)
  String getLakeAllowedLateness();

  void setLakeAllowedLateness(String allowedLateness);
}
