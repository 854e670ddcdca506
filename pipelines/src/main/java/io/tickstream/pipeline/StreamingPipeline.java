package io.tickstream.pipeline;

import io.tickstream.pipeline.io.ReadGenerator;
import io.tickstream.pipeline.io.ReadKafkaTicks;
import io.tickstream.pipeline.io.ReadKinesisTicks;
import io.tickstream.pipeline.io.ReadTickFiles;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.sink.cloudwatch.PublishDeadLetterCounts;
import io.tickstream.pipeline.sink.datalake.MarkCommittedPartitions;
import io.tickstream.pipeline.sink.datalake.S3LakeClientFactory;
import io.tickstream.pipeline.sink.datalake.TempFiles;
import io.tickstream.pipeline.sink.datalake.WriteLake;
import io.tickstream.pipeline.sink.dynamodb.WritePositionsTable;
import io.tickstream.pipeline.transforms.ProcessTicks;
import java.io.IOException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The tickstream job: read ticks from the configured source, compute bars, signals, positions and
 * trades, and write all six datasets to the lake, committing each partition with a {@code _SUCCESS}
 * marker once the watermark has closed it. The same code runs on DirectRunner and Flink, in
 * streaming mode for unbounded sources and batch mode for files.
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  /** Builds and starts the job; the caller decides whether to wait for it. */
  public static PipelineResult run(PipelineOptions options, StreamConfig config) {
    if (config.lake().onS3()) {
      S3LakeClientFactory.install(options);
    }
    Pipeline p = Pipeline.create(options);
    build(p, config);
    return p.run();
  }

  /**
   * Removes the files stopped runs of this job's lake writer left staged ({@link TempFiles}): for a
   * start that restores no state, and after a run that is done. Returns how many there were.
   */
  public static long clearTempFiles(PipelineOptions options, StreamConfig config)
      throws IOException {
    if (config.lake().onS3()) {
      S3LakeClientFactory.install(options);
    }
    FileSystems.setDefaultPipelineOptions(options);
    return TempFiles.clear(config.lake());
  }

  /** Adds the job's steps to {@code p}; returns the datasets as written. */
  public static PCollectionTuple build(Pipeline p, StreamConfig config) {
    PCollection<RawRecord> raw = p.apply("ReadTicks", read(config));
    PCollectionTuple out =
        raw.apply(
            "ProcessTicks",
            ProcessTicks.of(config.dedupWindow(), config.maxOutOfOrderness(), config.strategy())
                .withStateTtl(config.stateTtl())
                .forBoundedInput(config.source().bounded()));
    out.apply("WriteLake", WriteLake.to(config.lake()))
        .apply("CommitPartitions", MarkCommittedPartitions.of(config.lake()));
    if (config.positionsTable() != null) {
      out.get(ProcessTicks.POSITION_CHANGES)
          .apply(
              "WritePositionsTable",
              WritePositionsTable.to(config.positionsTable(), config.stateTtl()));
    }
    if (config.deadLetterMetrics() != null) {
      out.get(ProcessTicks.DEAD_LETTERS)
          .apply(
              "PublishDeadLetterCounts", PublishDeadLetterCounts.to(config.deadLetterMetrics()));
    }
    return out;
  }

  /** The source transform for the configured {@code --source}. */
  static PTransform<PBegin, PCollection<RawRecord>> read(StreamConfig config) {
    SourceSpec source = config.source();
    switch (source.type()) {
      case GENERATOR:
        return ReadGenerator.from(config.generator());
      case FILE:
        return ReadTickFiles.from(source.target());
      case KAFKA:
        {
          ReadKafkaTicks kafka =
              ReadKafkaTicks.of(
                  source.target(), source.topic(), config.maxOutOfOrderness(), config.idleTimeout());
          if (config.kafkaGroup() != null) {
            kafka = kafka.withConsumerGroupId(config.kafkaGroup());
          }
          return config.stopWhenIdle() ? kafka.withEndWhenIdle() : kafka;
        }
      case KINESIS:
        {
          ReadKinesisTicks kinesis =
              ReadKinesisTicks.of(source.target(), config.maxOutOfOrderness(), config.idleTimeout())
                  .withRegion(software.amazon.awssdk.regions.Region.of(config.region()));
          return config.kinesisEndpoint() == null
              ? kinesis
              : kinesis.withEndpoint(config.kinesisEndpoint());
        }
      default:
        throw new IllegalArgumentException("--source: unknown source " + source.describe());
    }
  }
}
