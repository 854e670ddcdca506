package io.tickstream.cli;

import io.tickstream.pipeline.BackfillConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Every flag of {@code tickstream backfill} beside the runners': what to read, which days to
 * replace, and the stream's event-time and strategy settings, which must be the stream's for the
 * backfill to give the stream's results. Turned once into a {@code BackfillConfig}.
 */
@Description("Backfill")
public interface BackfillOptions
    extends EventTimeOptions, StrategyOptions, LakeRootOptions, TargetFileOptions {
  @Description(
      "Landing files to read: a glob, local or s3://, e.g. 'landing/2025/01/**' (quote it).")
  @ParamLabel("GLOB")
  String getInput();

  void setInput(String value);

  @Description(
      "How the files are laid out: jsonl (JSON lines, gzip or not, by extension), json-per-file"
          + " (one JSON object per file) or csv (price history, mapped as 'generate --replay').")
  @Default.String("jsonl")
  @ParamLabel("FORMAT")
  String getFormat();

  void setFormat(String value);

  @Description(
      "First UTC day to write (yyyy-MM-dd); default: the input's first. Earlier days are read"
          + " only for the warm-up.")
  @ParamLabel("DATE")
  String getFrom();

  void setFrom(String value);

  @Description("Last UTC day to write, inclusive (yyyy-MM-dd); default: the input's last.")
  @ParamLabel("DATE")
  String getTo();

  void setTo(String value);

  @Description(
      "Event time before --from read to warm up averages, open positions and dedup ids, and not"
          + " written (duration, at least --slow minutes).")
  @Default.String(BackfillConfig.DEFAULT_WARM_UP)
  @ParamLabel(ParamLabel.DURATION)
  String getWarmUp();

  void setWarmUp(String value);
}
