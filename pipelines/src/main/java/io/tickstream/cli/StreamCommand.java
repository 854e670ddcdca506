package io.tickstream.cli;

import io.tickstream.generator.cli.SimulationFlags;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.StreamingPipeline;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tickstream stream}: runs the pipeline, by default on Flink embedded in this JVM. Runners
 * are known by name only to the launcher ({@link RunnerDefaults}, {@link JobRun}, {@link
 * FlinkJobs}).
 */
@Command(
    name = "stream",
    abbreviateSynopsis = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Runs the tickstream pipeline: ticks -> bars -> signals -> positions and trades -> Parquet"
          + " lake.",
      "Runs on embedded Flink (--flinkMaster=[local]) unless --runner says otherwise; any Beam or"
          + " Flink option passes through (--parallelism=2, --checkpointingInterval=10000...).",
      "Durations are written 500ms, 30s, 5m, 2h, 1d or PT2H. Flags take kebab or camel case.",
      ""
    },
    optionListHeading = "Options (the simulation's apply with --source generator):%n",
    footer = {
      "",
      "Runner options: any Beam or Flink option, e.g. --runner=DirectRunner, --parallelism=2,"
          + " --checkpointingInterval=60000; for s3:// lakes also --endpoint, --awsRegion,"
          + " --awsCredentialsProvider.",
      "Ctrl-C or SIGTERM stops the job cleanly (drained on Flink) and prints the summary; a"
          + " second one cancels it."
    })
class StreamCommand extends PipelineCommand {
  @Mixin SimulationFlags simulation;

  StreamCommand(Launcher launcher) {
    super(launcher);
  }

  @Override
  Class<? extends PipelineOptions> optionsType() {
    return StreamOptions.class;
  }

  @Override
  JobRun.Job prepare(PipelineOptions options, Set<String> given, Set<String> runnerGiven)
      throws Exception {
    StreamConfig config =
        new StreamConfigFactory(spec, given).from(options.as(StreamOptions.class), simulation);
    new Preflight(spec, options).check(config);
    RunnerDefaults.Engine engine =
        RunnerDefaults.apply(options, runnerGiven, config.source().bounded());
    if (engine == RunnerDefaults.Engine.PORTABLE) {
      new PortableStateCheck(spec).check(options, p -> StreamingPipeline.build(p, config));
    }
    return new JobRun.Job(
        spec.qualifiedName(),
        config.source().describe(),
        config.lake().root(),
        config,
        options,
        engine,
        o -> StreamingPipeline.run(o, config),
        o -> StreamingPipeline.clearTempFiles(o, config),
        verbose);
  }
}
