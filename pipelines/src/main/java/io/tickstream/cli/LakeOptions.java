package io.tickstream.cli;

import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.S3LakeOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The lake's flags, turned once into a {@link LakeConfig}. An {@code s3://} lake is reached with
 * {@link S3LakeOptions} and Beam's AWS options ({@code --endpoint}, {@code --awsRegion}, {@code
 * --awsCredentialsProvider}).
 */
@Description("Lake")
public interface LakeOptions extends S3LakeOptions {
  @Description("Where the lake is written: a local directory or s3://bucket/prefix.")
  @Default.String("./lake")
  @ParamLabel("DIR|s3://BUCKET/PREFIX")
  String getLake();

  void setLake(String lake);

  @Description(
      "Event-time span of each lake file (duration, whole seconds: 30s, 1m, 1h). Records are"
          + " grouped into files per window, partition and shard.")
  @Default.String(LakeConfig.DEFAULT_FILE_WINDOW)
  @ParamLabel(ParamLabel.DURATION)
  String getFileWindow();

  void setFileWindow(String fileWindow);

  @Description("Files per file window, pane and partition (count, 1 to 1024).")
  @Default.Integer(LakeConfig.DEFAULT_SHARDS)
  int getLakeShards();

  void setLakeShards(int shards);

  @Description(
      "How long after the watermark passes a file window its late records are still written, in"
          + " extra files (duration). Records later than this are dropped, and counted in the"
          + " summary (lake rows written of handed).")
  @Default.String(LakeConfig.DEFAULT_ALLOWED_LATENESS)
  @ParamLabel(ParamLabel.DURATION)
  String getLakeAllowedLateness();

  void setLakeAllowedLateness(String allowedLateness);
}
