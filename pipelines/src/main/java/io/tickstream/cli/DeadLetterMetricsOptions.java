package io.tickstream.cli;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the dead-letter counts go in CloudWatch, for an alarm on dead-letter growth. */
@Description("Dead-letter metrics")
public interface DeadLetterMetricsOptions extends PipelineOptions {
  @Description(
      "CloudWatch namespace that gets the metric DeadLetters (by ErrorCode, and in total) once a"
          + " minute while records are dead-lettered, in --region; none by default. The"
          + " infrastructure's alarm watches tickstream/ENV.")
  @ParamLabel("NAMESPACE")
  String getDeadLetterMetricsNamespace();

  void setDeadLetterMetricsNamespace(String value);

  @Description(
      "CloudWatch endpoint URL for --dead-letter-metrics-namespace (a VPC endpoint, a local"
          + " server); default AWS's.")
  @ParamLabel(ParamLabel.URL)
  String getCloudwatchEndpoint();

  void setCloudwatchEndpoint(String value);
}
