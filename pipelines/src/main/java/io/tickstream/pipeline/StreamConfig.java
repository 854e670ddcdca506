package io.tickstream.pipeline;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.Durations;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.sink.cloudwatch.DeadLetterMetricsConfig;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.dynamodb.PositionsTableConfig;
import io.tickstream.pipeline.transforms.ProcessTicks;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.net.URI;
import java.time.Duration;
import javax.annotation.Nullable;

/**
 * The streaming job's settings, checked once and frozen: the job's steps get these values, never an
 * options object. The command line makes one ({@code io.tickstream.cli.StreamConfigFactory}); tests
 * and embedders use {@link #builder()}.
 */
@AutoValue
public abstract class StreamConfig {
  /** The default AWS region. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** Where ticks come from. */
  public abstract SourceSpec source();

  /** The simulation and its splits, when the source is the generator; else null. */
  public abstract @Nullable GeneratorSourceConfig generator();

  /** Event time within which a repeated event id is dropped. */
  public abstract Duration dedupWindow();

  /** Bounded out-of-orderness of event time. */
  public abstract Duration maxOutOfOrderness();

  /** Wall time after which an idle partition or shard stops holding the watermark back. */
  public abstract Duration idleTimeout();

  /** The Kafka consumer group; null for the source's default. */
  public abstract @Nullable String kafkaGroup();

  /** Whether a Kafka read ends once every partition is idle, instead of running until stopped. */
  public abstract boolean stopWhenIdle();

  /** Event time a symbol may be silent before its state is cleared. */
  public abstract Duration stateTtl();

  /** The crossover strategy and trading rules. */
  public abstract StrategyConfig strategy();

  /** Where and how the lake is written. */
  public abstract LakeConfig lake();

  /** Endpoint override for Kinesis, or null for AWS's. */
  public abstract @Nullable URI kinesisEndpoint();

  /** AWS region of the Kinesis stream. */
  public abstract String region();

  /** The DynamoDB table of open positions, or null for none. */
  public abstract @Nullable PositionsTableConfig positionsTable();

  /** Where the dead-letter counts go in CloudWatch, or null for nowhere. */
  public abstract @Nullable DeadLetterMetricsConfig deadLetterMetrics();

  /** The command line's defaults for what is not set: strategy, durations, region. */
  public static Builder builder() {
    return new AutoValue_StreamConfig.Builder()
        .setDedupWindow(Durations.parse(ProcessTicks.DEFAULT_DEDUP_WINDOW))
        .setMaxOutOfOrderness(Durations.parse(ProcessTicks.DEFAULT_MAX_OUT_OF_ORDERNESS))
        .setIdleTimeout(Durations.parse(SourceSpec.DEFAULT_IDLE_TIMEOUT))
        .setStopWhenIdle(false)
        .setStateTtl(Durations.parse(ProcessTicks.DEFAULT_STATE_TTL))
        .setStrategy(StrategyConfig.defaults())
        .setRegion(DEFAULT_REGION);
  }

  /** Builds a config; {@link #build} checks the fields together. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSource(SourceSpec source);

    public abstract Builder setGenerator(@Nullable GeneratorSourceConfig generator);

    public abstract Builder setDedupWindow(Duration dedupWindow);

    public abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    public abstract Builder setIdleTimeout(Duration idleTimeout);

    public abstract Builder setStopWhenIdle(boolean stopWhenIdle);

    public abstract Builder setKafkaGroup(@Nullable String kafkaGroup);

    public abstract Builder setStateTtl(Duration stateTtl);

    public abstract Builder setStrategy(StrategyConfig strategy);

    public abstract Builder setLake(LakeConfig lake);

    public abstract Builder setKinesisEndpoint(@Nullable URI kinesisEndpoint);

    public abstract Builder setRegion(String region);

    public abstract Builder setPositionsTable(@Nullable PositionsTableConfig positionsTable);

    public abstract Builder setDeadLetterMetrics(
        @Nullable DeadLetterMetricsConfig deadLetterMetrics);

    abstract StreamConfig autoBuild();

    /**
     * @throws IllegalArgumentException when the generator settings and the source disagree
     */
    public StreamConfig build() {
      StreamConfig c = autoBuild();
      boolean generator = c.source().type() == SourceSpec.Type.GENERATOR;
      if (generator != (c.generator() != null)) {
        throw new IllegalArgumentException(
            generator
                ? "the generator source needs its simulation settings"
                : "simulation settings are for the generator source, not " + c.source().describe());
      }
      if ((c.stopWhenIdle() || c.kafkaGroup() != null)
          && c.source().type() != SourceSpec.Type.KAFKA) {
        throw new IllegalArgumentException(
            "a consumer group and stopping when idle are for the Kafka source, not "
                + c.source().describe());
      }
      return c;
    }
  }
}
