package io.tickstream.cli;

import io.tickstream.pipeline.query.LakeQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code tickstream demo}: two hours of seeded market time for 20 symbols, with a few faults of
 * every kind, through the pipeline on embedded Flink into {@code ./lake}, as fast as the machine
 * goes, then writes the report of that lake next to it. Every preset can be overridden with the
 * same flags as {@code stream}.
 */
@Command(
    name = "demo",
    abbreviateSynopsis = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Runs a seeded 2-hour, 20-symbol simulated market (with some bad, duplicate, out-of-order and"
          + " late ticks) through the pipeline on embedded Flink into ./lake, with a live progress"
          + " line and a summary, then writes report.html beside the lake (see 'report'). Takes the"
          + " same options as 'stream', which override the presets:",
      "  " + DemoCommand.PRESETS_TEXT,
      ""
    })
final class DemoCommand extends StreamCommand {
  static final String PRESETS_TEXT =
      "--source=generator --symbols=20 --seed=42 --duration=2h --speed=max --bad-rate=0.001"
          + " --dup-rate=0.002 --max-disorder=5s --late-rate=0.0005 --late-by=5m --lake=./lake";

  /** The demo's presets. */
  static final List<String> PRESETS = List.of(PRESETS_TEXT.split(" "));

  DemoCommand(Launcher launcher) {
    super(launcher);
  }

  @Override
  List<String> presetArgs() {
    return PRESETS;
  }

  /** After a run that wrote a local lake: {@code report.html} in the lake's parent directory. */
  @Override
  int afterRun(JobRun.Job job, int exitCode) throws Exception {
    Path lake = job.lake().contains("://") ? null : Path.of(job.lake()).toAbsolutePath();
    if (exitCode != 0 || lake == null || !Files.isDirectory(lake)) {
      return exitCode;
    }
    try (LakeQuery query = LakeQuery.open(lake.toString(), false, System.getenv())) {
      ReportCommand.write(
          query, job.lake(), lake.resolveSibling("report.html"), spec.commandLine().getOut());
    }
    return exitCode;
  }
}
