package io.tickstream.cli;

import io.tickstream.pipeline.transforms.ProcessTicks;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How event time is judged: resends, out-of-order ticks, and how long a quiet symbol is kept. */
@Description("Event time")
public interface EventTimeOptions extends PipelineOptions {
  @Description("Event time within which a repeated event_id is dropped (duration).")
  @Default.String(ProcessTicks.DEFAULT_DEDUP_WINDOW)
  @ParamLabel(ParamLabel.DURATION)
  String getDedupWindow();

  void setDedupWindow(String value);

  @Description(
      "Bounded out-of-orderness (duration): a tick more than this behind its symbol's latest tick,"
          + " or behind the watermark, is late: kept in ticks, counted, left out of bars.")
  @Default.String(ProcessTicks.DEFAULT_MAX_OUT_OF_ORDERNESS)
  @ParamLabel(ParamLabel.DURATION)
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

  @Description(
      "A symbol silent for this long (duration, event time) leaves no state behind: its dedup ids"
          + " and averages go, and an open position is forgotten (its last snapshot stays in"
          + " positions and in the positions table). Longer than --dedup-window and"
          + " --max-out-of-orderness; above the longest market closure to carry averages over.")
  @Default.String(ProcessTicks.DEFAULT_STATE_TTL)
  @ParamLabel(ParamLabel.DURATION)
  String getStateTtl();

  void setStateTtl(String value);
}
