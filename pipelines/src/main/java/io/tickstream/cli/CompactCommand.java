package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import io.tickstream.pipeline.CompactionPipeline;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.CompactPartitions;
import io.tickstream.pipeline.sink.datalake.CompactionPlan;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.S3LakeClientFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * {@code tickstream compact}: rewrites a dataset's committed days into few sorted files each,
 * verified row for row before the old files go; by default on embedded Flink in batch mode.
 */
@Command(
    name = "compact",
    abbreviateSynopsis = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Compacts a dataset of the lake: each committed day (every partition in it has a _SUCCESS)"
          + " that ended at least --older-than ago is rewritten into files near --target-file-mb,"
          + " sorted by symbol and time, and replaced once the new files are read back holding"
          + " the same rows (count and an order-independent checksum).",
      "Rerunnable: a day already compact is left alone, and what an interrupted run left is put"
          + " right first.",
      ""
    })
final class CompactCommand extends PipelineCommand {
  static final String DEFAULT_OLDER_THAN = "2h";

  CompactCommand(Launcher launcher) {
    super(launcher);
  }

  @Override
  Class<? extends PipelineOptions> optionsType() {
    return CompactOptions.class;
  }

  @Override
  JobRun.Job prepare(PipelineOptions options, Set<String> given, Set<String> runnerGiven)
      throws Exception {
    CompactOptions o = options.as(CompactOptions.class);
    StreamConfigFactory checks = new StreamConfigFactory(spec, given);
    if (o.getDataset() == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required option: '--dataset=DATASET'");
    }
    Dataset<?> dataset = checks.parse("--dataset", o.getDataset(), CompactCommand::dataset);
    LocalDate day =
        o.getDt() == null ? null : checks.parse("--dt", o.getDt(), BackfillCommand::date);
    Duration olderThan = checks.duration("--older-than", o.getOlderThan(), true);
    if (o.getTargetFileMb() < 1) {
      throw Flags.invalid(spec, "--target-file-mb", o.getTargetFileMb(), "must be 1 or more");
    }
    LakeConfig lake = checks.parse("--lake", o.getLake(), LakeConfig::at);
    if (lake.onS3()) {
      S3LakeClientFactory.install(options);
    }
    FileSystems.setDefaultPipelineOptions(options);
    CompactionPlan plan;
    try {
      CompactPartitions.repair(lake, dataset);
      plan = CompactionPlan.of(lake, dataset, day, olderThan, Instant.now());
    } catch (IOException | IllegalArgumentException e) {
      throw Flags.invalid(spec, "--lake", lake.root(), "cannot be read: " + e.getMessage());
    }
    for (Map.Entry<String, String> skipped : plan.skipped().entrySet()) {
      spec.commandLine()
          .getErr()
          .printf(
              "tickstream compact: %s/%s left alone: %s%n",
              dataset, skipped.getKey(), skipped.getValue());
    }
    RunnerDefaults.Engine engine = RunnerDefaults.apply(options, runnerGiven, true);
    long target = o.getTargetFileMb() * 1024L * 1024L;
    String runId = BackfillCommand.runId();
    return new JobRun.Job(
        spec.qualifiedName(),
        dataset + ": " + plan.days().size() + " day(s), " + plan.files().size() + " files",
        lake.root(),
        plan,
        options,
        engine,
        opts -> CompactionPipeline.run(opts, dataset, lake, plan, runId, target),
        null,
        verbose);
  }

  static Dataset<?> dataset(String name) {
    try {
      return Dataset.named(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "is not a dataset; one of " + Dataset.all().stream().map(Dataset::name).toList());
    }
  }
}
