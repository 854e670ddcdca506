package io.tickstream.cli;

import io.tickstream.pipeline.BackfillConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How large the files of the batch commands ({@code backfill}, {@code compact}) grow. */
@Description("Lake files")
public interface TargetFileOptions extends PipelineOptions {
  @Description("A lake file is closed once it reaches about this size (MiB, 1 or more).")
  @Default.Integer(BackfillConfig.DEFAULT_TARGET_FILE_MB)
  @ParamLabel("MB")
  int getTargetFileMb();

  void setTargetFileMb(int value);
}
