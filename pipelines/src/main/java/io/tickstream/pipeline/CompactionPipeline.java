package io.tickstream.pipeline;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.CompactPartitions;
import io.tickstream.pipeline.sink.datalake.CompactionPlan;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.S3LakeClientFactory;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The compaction job: the committed days a {@link CompactionPlan} chose, rewritten into few sorted
 * files each and replaced once their rows are verified ({@link CompactPartitions}).
 */
public final class CompactionPipeline {
  private CompactionPipeline() {}

  /** Builds and starts the job; the caller decides whether to wait for it. */
  public static PipelineResult run(
      PipelineOptions options,
      Dataset<?> dataset,
      LakeConfig lake,
      CompactionPlan plan,
      String runId,
      long targetFileBytes) {
    if (lake.onS3()) {
      S3LakeClientFactory.install(options);
    }
    Pipeline p = Pipeline.create(options);
    p.apply("CompactPartitions", CompactPartitions.of(dataset, lake, plan, runId, targetFileBytes));
    return p.run();
  }
}
