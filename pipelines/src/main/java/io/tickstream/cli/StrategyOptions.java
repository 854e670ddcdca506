package io.tickstream.cli;

import io.tickstream.pipeline.transforms.StrategyConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The moving-average crossover strategy and its paper trading. */
@Description("Strategy")
public interface StrategyOptions extends PipelineOptions {
  @Description("Closes in the fast moving average (bars, at least 1, fewer than --slow).")
  @Default.Integer(StrategyConfig.DEFAULT_FAST)
  @ParamLabel("BARS")
  int getFast();

  void setFast(int value);

  @Description("Closes in the slow moving average (bars, more than --fast).")
  @Default.Integer(StrategyConfig.DEFAULT_SLOW)
  @ParamLabel("BARS")
  int getSlow();

  void setSlow(int value);

  @Description("Dollars per position: qty = floor(notional / price).")
  @Default.Double(StrategyConfig.DEFAULT_NOTIONAL)
  @ParamLabel("DOLLARS")
  double getNotional();

  void setNotional(double value);

  @Description("Fee in basis points of traded value, charged on entry and on exit.")
  @Default.Double(StrategyConfig.DEFAULT_FEE_BPS)
  @ParamLabel("BPS")
  double getFeeBps();

  void setFeeBps(double value);
}
