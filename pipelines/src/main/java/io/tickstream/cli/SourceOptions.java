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

  @Description(
      "AWS region of the Kinesis stream, the positions table and the dead-letter metrics.")
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
      "kafka: the consumer group offsets are committed to, and that a job without saved state"
          + " resumes from; default tickstream-TOPIC. Two jobs reading one topic need two groups.")
  @ParamLabel("GROUP")
  String getKafkaGroup();

  void setKafkaGroup(String value);

  @Description(
      "kafka: end the job once every partition has had nothing to read for --idle-timeout, its"
          + " windows all written (a topic replayed into the lake); without it the job runs until"
          + " stopped.")
  @Default.Boolean(false)
  boolean getStopWhenIdle();

  void setStopWhenIdle(boolean value);

  @Description(
      "generator: source splits (count), fixed so that the simulated data does not depend on the"
          + " parallelism; with 1 the source emits exactly what 'tickstream generate' does.")
  @Default.Integer(GeneratorSourceConfig.DEFAULT_SPLITS)
  int getGeneratorSplits();

  void setGeneratorSplits(int value);
}
