package io.tickstream.pipeline.options;

import io.tickstream.pipeline.sink.lake.LakeOptions;
import io.tickstream.pipeline.sink.lake.S3LakeOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Every option of the tickstream pipelines. On the command line they are written in kebab case
 * ({@code --max-out-of-orderness=30s}); Beam's own camel case works too. Durations accept {@code
 * 500ms, 30s, 5m, 2h, PT2H}.
 */
public interface TickstreamOptions
    extends PipelineOptions, StreamingOptions, S3LakeOptions, LakeOptions {

  @Description(
      "Where ticks come from: generator (the built-in simulator), file:GLOB (JSON lines, gzip or"
          + " not; bounded), kafka:HOST:PORT/TOPIC or kinesis:STREAM.")
  @Default.String("generator")
  String getSource();

  void setSource(String value);

  @Description("kinesis: endpoint URL, e.g. http://127.0.0.1:4567 for kinesalite; default AWS's.")
  String getKinesisEndpoint();

  void setKinesisEndpoint(String value);

  @Description("kinesis: AWS region.")
  @Default.String("us-east-1")
  String getRegion();

  void setRegion(String value);

  @Description(
      "A Kafka partition or Kinesis shard with no records for this long (wall time) stops holding"
          + " the watermark back (duration).")
  @Default.String("1m")
  String getIdleTimeout();

  void setIdleTimeout(String value);

  @Description(
      "generator: source splits, fixed so that the simulated data does not depend on the"
          + " parallelism; with 1 the source emits exactly what 'tickstream generate' does.")
  @Default.Integer(4)
  int getGeneratorSplits();

  void setGeneratorSplits(int value);

  @Description(
      "DynamoDB table that also keeps the open positions (upsert on open and mark, delete on"
          + " close); none by default.")
  String getPositionsTable();

  void setPositionsTable(String value);

  @Description("DynamoDB endpoint URL for --positions-table (e.g. DynamoDB Local); default AWS's.")
  String getDynamodbEndpoint();

  void setDynamodbEndpoint(String value);

  @Description("Event time within which a repeated event_id is dropped (duration).")
  @Default.String("10m")
  String getDedupWindow();

  void setDedupWindow(String value);

  @Description(
      "Bounded out-of-orderness (duration): a tick more than this behind its symbol's latest tick,"
          + " or behind the watermark, is late: kept in ticks, counted, left out of bars.")
  @Default.String("30s")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

  @Description("Closes in the fast moving average (bars).")
  @Default.Integer(5)
  int getFast();

  void setFast(int value);

  @Description("Closes in the slow moving average (bars).")
  @Default.Integer(20)
  int getSlow();

  void setSlow(int value);

  @Description("Dollars per position: qty = floor(notional / price).")
  @Default.Double(10_000)
  double getNotional();

  void setNotional(double value);

  @Description("Fee in basis points of traded value, charged on entry and on exit.")
  @Default.Double(0)
  double getFeeBps();

  void setFeeBps(double value);
}
