package io.tickstream.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Every flag of {@code tickstream compact} beside the runners': which dataset and which days. */
@Description("Compaction")
public interface CompactOptions extends LakeRootOptions, TargetFileOptions {
  @Description("The dataset to compact: ticks, bars_1m, signals, positions, trades or dead_letter.")
  @ParamLabel("DATASET")
  String getDataset();

  void setDataset(String value);

  @Description("Compact this UTC day only (yyyy-MM-dd); default: every committed day old enough.")
  @ParamLabel("DATE")
  String getDt();

  void setDt(String value);

  @Description(
      "Leave days that ended less than this long ago (duration): the stream may still write them.")
  @Default.String(CompactCommand.DEFAULT_OLDER_THAN)
  @ParamLabel(ParamLabel.DURATION)
  String getOlderThan();

  void setOlderThan(String value);
}
