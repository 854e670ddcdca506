package io.tickstream.cli;

import io.tickstream.pipeline.sink.datalake.LakeConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How the stream writes its lake files, turned once into a {@link LakeConfig} with {@link
 * LakeRootOptions}.
 */
@Description("Lake files")
public interface LakeOptions extends LakeRootOptions {
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
