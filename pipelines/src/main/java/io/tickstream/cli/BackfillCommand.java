package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import io.tickstream.pipeline.BackfillConfig;
import io.tickstream.pipeline.BackfillPipeline;
import io.tickstream.pipeline.io.TickFileFormat;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * {@code tickstream backfill}: landing files through the stream's computation into whole, sorted
 * partitions, replacing every day it produces; by default on embedded Flink in batch mode.
 */
@Command(
    name = "backfill",
    abbreviateSynopsis = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Backfills the lake from landing files: the stream's parsing, dedup, bars, signals,"
          + " positions and trades, written per partition (sorted by symbol and time, a file per"
          + " partition up to --target-file-mb), each day produced replaced atomically and"
          + " committed with a _SUCCESS marker.",
      "Runs on embedded Flink in batch mode unless --runner says otherwise. Durations are written"
          + " 30s, 5m, 2h, 1d or PT2H. Flags take kebab or camel case.",
      ""
    },
    footer = {
      "",
      "Use the stream's --dedup-window, --max-out-of-orderness, --state-ttl and strategy flags:"
          + " with them, a backfill of the stream's landing data gives the stream's rows.",
      "Runner options: any Beam or Flink option, e.g. --runner=DirectRunner, --parallelism=2; for"
          + " s3:// also --endpoint, --awsRegion, --awsCredentialsProvider."
    })
class BackfillCommand extends PipelineCommand {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  BackfillCommand(Launcher launcher) {
    super(launcher);
  }

  @Override
  Class<? extends PipelineOptions> optionsType() {
    return BackfillOptions.class;
  }

  @Override
  JobRun.Job prepare(PipelineOptions options, Set<String> given, Set<String> runnerGiven)
      throws Exception {
    BackfillConfig config = config(options.as(BackfillOptions.class), given);
    new Preflight(spec, options).check(config);
    RunnerDefaults.Engine engine = RunnerDefaults.apply(options, runnerGiven, true);
    if (engine == RunnerDefaults.Engine.PORTABLE) {
      new PortableStateCheck(spec).check(options, p -> BackfillPipeline.build(p, config));
    }
    return new JobRun.Job(
        spec.qualifiedName(),
        config.format().flag() + ":" + config.input() + range(config),
        config.lake().root(),
        config,
        options,
        engine,
        o -> BackfillPipeline.run(o, config),
        null,
        verbose);
  }

  private BackfillConfig config(BackfillOptions o, Set<String> given) {
    StreamConfigFactory checks = new StreamConfigFactory(spec, given);
    if (o.getInput() == null || o.getInput().isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "Missing required option: '--input=GLOB' (the landing files)");
    }
    Duration maxOutOfOrderness =
        checks.duration("--max-out-of-orderness", o.getMaxOutOfOrderness(), true);
    Duration dedupWindow = checks.duration("--dedup-window", o.getDedupWindow(), false);
    LocalDate from =
        o.getFrom() == null ? null : checks.parse("--from", o.getFrom(), BackfillCommand::date);
    LocalDate to =
        o.getTo() == null ? null : checks.parse("--to", o.getTo(), BackfillCommand::date);
    if (from != null && to != null && from.isAfter(to)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid values for options '--from' and '--to': '"
              + o.getFrom()
              + "' is after '"
              + o.getTo()
              + "'");
    }
    Duration warmUp = checks.duration("--warm-up", o.getWarmUp(), false);
    var strategy = checks.strategy(o);
    if (warmUp.compareTo(Duration.ofMinutes(strategy.slow())) < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid values for options '--warm-up' and '--slow': '"
              + o.getWarmUp()
              + "' is shorter than "
              + strategy.slow()
              + " one-minute bars");
    }
    if (o.getTargetFileMb() < 1) {
      throw Flags.invalid(spec, "--target-file-mb", o.getTargetFileMb(), "must be 1 or more");
    }
    return BackfillConfig.builder()
        .setInput(o.getInput())
        .setFormat(checks.parse("--format", o.getFormat(), TickFileFormat::parse))
        .setFrom(from)
        .setTo(to)
        .setWarmUp(warmUp)
        .setDedupWindow(dedupWindow)
        .setMaxOutOfOrderness(maxOutOfOrderness)
        .setStateTtl(checks.stateTtl(o, dedupWindow, maxOutOfOrderness))
        .setStrategy(strategy)
        .setLake(checks.parse("--lake", o.getLake(), LakeConfig::at))
        .setTargetFileBytes(o.getTargetFileMb() * 1024L * 1024L)
        .setRunId(runId())
        .build();
  }

  /** When the run started, and a random suffix for runs started in the same second. */
  static String runId() {
    return RUN_ID.format(Instant.now())
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  /** A UTC day as the flags take it, {@code yyyy-MM-dd}. */
  static LocalDate date(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("is not a date such as 2025-01-02");
    }
  }

  private static String range(BackfillConfig c) {
    if (c.from() == null && c.to() == null) {
      return "";
    }
    return " [" + (c.from() == null ? "" : c.from()) + ".." + (c.to() == null ? "" : c.to()) + "]";
  }
}
