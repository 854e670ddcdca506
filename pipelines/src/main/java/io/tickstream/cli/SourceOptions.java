package io.tickstream.cli;

import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a pipeline reads ticks from. */
@Description("Source")
public interface SourceOptions extends PipelineOptions {
  @Description(
      "Where ticks come from: generator (the built-in simulator; the simulation flags below apply),"
          + " file:GLOB (JSON lines, gzip or not; bounded), kafka:HOST:PORT/TOPIC or"
          + " kinesis:STREAM.")
  @Default.String("generator")
  @ParamLabel("SOURCE")
  String getSource();

  void setSource(String value);

  @Description("kinesis: endpoint URL, e.g. http://127.0.0.1:4567 for kinesalite; default AWS's.")
  @ParamLabel(ParamLabel.URL)
  String getKinesisEndpoint();

  void setKinesisEndpoint(String value);

  @Description("AWS region of the Kinesis stream and the positions table.")
  @Default.String(StreamConfig.DEFAULT_REGION)
  @ParamLabel("REGION")
  String getRegion();

  void setRegion(String value);

  @Description(
      "kafka/kinesis: a partition or shard with no records for this long (duration, wall time)"
          + " stops holding the watermark back.")
  @Default.String(SourceSpec.DEFAULT_IDLE_TIMEOUT)
  @ParamLabel(ParamLabel.DURATION)
  String getIdleTimeout();

  void setIdleTimeout(String value);

  @Description(
      "generator: source splits (count), fixed so that the simulated data does not depend on the"
          + " parallelism; with 1 the source emits exactly what 'tickstream generate' does.")
  @Default.Integer(GeneratorSourceConfig.DEFAULT_SPLITS)
  int getGeneratorSplits();

  void setGeneratorSplits(int value);
}
