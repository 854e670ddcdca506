package io.tickstream.pipeline;

import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.ReadGenerator;
import io.tickstream.pipeline.io.ReadKafkaTicks;
import io.tickstream.pipeline.io.ReadKinesisTicks;
import io.tickstream.pipeline.io.ReadTickFiles;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.options.TickstreamOptions;
import io.tickstream.pipeline.sink.dynamodb.WritePositionsTable;
import io.tickstream.pipeline.sink.lake.S3LakeClientFactory;
import io.tickstream.pipeline.sink.lake.WriteLake;
import io.tickstream.pipeline.transforms.ProcessTicks;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The tickstream job: read ticks from the configured source, compute bars, signals, positions and
 * trades, and write all six datasets to the lake. The same code runs on DirectRunner and Flink, in
 * streaming mode for unbounded sources and batch mode for files.
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  /** Builds and starts the job; the caller decides whether to wait for it. */
  public static PipelineResult run(TickstreamOptions options, StreamConfig config) {
    if (config.lake().root().startsWith("s3://")) {
      S3LakeClientFactory.install(options);
    }
    Pipeline p = Pipeline.create(options);
    build(p, config);
    return p.run();
  }

  /** Adds the job's steps to {@code p}; returns the datasets as written. */
  public static PCollectionTuple build(Pipeline p, StreamConfig config) {
    PCollection<RawRecord> raw = p.apply("ReadTicks", read(config));
    PCollectionTuple out =
        raw.apply(
            "ProcessTicks",
            ProcessTicks.of(config.dedupWindow(), config.maxOutOfOrderness(), config.strategy())
                .forBoundedInput(config.source().bounded()));
    out.apply("WriteLake", WriteLake.to(config.lake()));
    if (config.positionsTable() != null) {
      out.get(ProcessTicks.POSITION_CHANGES)
          .apply("WritePositionsTable", WritePositionsTable.to(config.positionsTable()));
    }
    return out;
  }

  /** The source transform for the configured {@code --source}. */
  static PTransform<PBegin, PCollection<RawRecord>> read(StreamConfig config) {
    SourceSpec source = config.source();
    switch (source.type()) {
      case GENERATOR:
        return ReadGenerator.from(generatorSource(config.generator(), config));
      case FILE:
        return ReadTickFiles.from(source.target());
      case KAFKA:
        return ReadKafkaTicks.of(
            source.target(), source.topic(), config.maxOutOfOrderness(), config.idleTimeout());
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

  /** The in-pipeline generator with the same simulation as {@code tickstream generate}. */
  static GeneratorSourceConfig generatorSource(GeneratorConfig g, StreamConfig config) {
    return new GeneratorSourceConfig(
        g.seed(),
        g.symbols().stream().map(SymbolProfile::symbol).toList(),
        g.startMillis(),
        g.ticksPerMinute(),
        g.speed(),
        g.maxTicks(),
        g.duration().toMillis(),
        g.faults().badRate(),
        g.faults().dupRate(),
        g.faults().maxDisorder().toMillis(),
        g.faults().lateRate(),
        g.faults().lateBy().toMillis(),
        config.maxOutOfOrderness().getMillis(),
        Math.min(config.generatorSplits(), g.symbols().size()));
  }
}
