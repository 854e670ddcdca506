package io.tickstream.pipeline;

import io.tickstream.pipeline.io.ReadTickFiles;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.sink.datalake.S3LakeClientFactory;
import io.tickstream.pipeline.sink.datalake.WriteLakePartitions;
import io.tickstream.pipeline.transforms.ProcessTicks;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * The backfill job: landing files in, the same {@link ProcessTicks} as the stream (each symbol's
 * ticks in event-time order, so its state stays as small as a stream's), whole partitions out,
 * every {@code dt} it produces replaced atomically ({@link WriteLakePartitions}).
 *
 * <p>With {@code --from}, ticks from {@link BackfillConfig#warmUp()} before it are read too and
 * only warm the steps up (averages, open positions, dedup ids), so a backfill of a day gives that
 * day's rows exactly as a backfill of a longer range would; records before the warm-up or after
 * {@code --to} are counted and left out ({@value PipelineMetrics#RECORDS_OUTSIDE_RANGE}).
 */
public final class BackfillPipeline {
  private BackfillPipeline() {}

  /** Builds and starts the job; the caller decides whether to wait for it. */
  public static PipelineResult run(PipelineOptions options, BackfillConfig config) {
    if (config.lake().onS3() || config.input().startsWith("s3://")) {
      S3LakeClientFactory.install(options);
    }
    Pipeline p = Pipeline.create(options);
    build(p, config);
    return p.run();
  }

  /** Adds the job's steps to {@code p}; returns the committed leaf partitions. */
  public static PCollection<String> build(Pipeline p, BackfillConfig config) {
    PCollection<RawRecord> raw =
        p.apply("ReadFiles", ReadTickFiles.from(config.input()).inFormat(config.format()));
    if (config.from() != null || config.to() != null) {
      raw =
          raw.apply(
                  "KeepRangeAndWarmUp",
                  ParDo.of(
                      new KeepEventTimes(
                          config.from() == null
                              ? Long.MIN_VALUE
                              : config.fromMillis() - config.warmUp().toMillis(),
                          config.to() == null ? Long.MAX_VALUE : config.toMillisExclusive())))
              .setCoder(raw.getCoder());
    }
    return raw.apply(
            "ProcessTicks",
            ProcessTicks.of(config.dedupWindow(), config.maxOutOfOrderness(), config.strategy())
                .withStateTtl(config.stateTtl())
                .forBoundedInput(true))
        .apply(
            "WriteLakePartitions",
            WriteLakePartitions.to(config.lake(), config.runId(), config.targetFileBytes())
                .between(config.fromMillis(), config.toMillisExclusive()));
  }

  /** Keeps the records stamped in [from, to); counts the others. */
  private static final class KeepEventTimes extends DoFn<RawRecord, RawRecord> {
    private final long from;
    private final long to;
    private final Counter outside = PipelineMetrics.counter(PipelineMetrics.RECORDS_OUTSIDE_RANGE);

    KeepEventTimes(long from, long to) {
      this.from = from;
      this.to = to;
    }

    @ProcessElement
    public void process(
        @Element RawRecord record, @Timestamp Instant time, OutputReceiver<RawRecord> out) {
      if (time.getMillis() >= from && time.getMillis() < to) {
        out.output(record);
      } else {
        outside.inc();
      }
    }
  }
}
