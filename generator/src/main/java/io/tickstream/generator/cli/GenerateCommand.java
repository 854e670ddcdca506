package io.tickstream.generator.cli;

import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.GeneratorRun;
import io.tickstream.generator.Simulation;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickstream generate}: simulate or replay ticks and send them to a sink. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Simulates a market (or replays a price history) and sends JSON ticks to stdout, files, Kafka"
          + " or Kinesis.",
      "Every option can also be set by an environment variable: --ticks-per-minute by"
          + " TICKSTREAM_TICKS_PER_MINUTE, and so on; arguments win.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  tickstream generate --symbols 5 --count 10",
      "  tickstream generate --speed max --duration 2h --sink file:./landing --gzip",
      "  tickstream generate --replay ../shared/data/indexProcessed-HSI.csv --replay-step 1s",
      "  tickstream generate --bad-rate 0.01 --dup-rate 0.01 --max-disorder 10s --sink"
          + " kafka:127.0.0.1:9092/ticks"
    })
public final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SimulationFlags simulation;

  @Mixin ReplayFlags replay;

  @Mixin SinkFlags sink;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      defaultValue = "0",
      description = "Records per wall second at most, all symbols together; 0 = no limit.")
  double rate;

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Wall time between progress lines on stderr; 0 = none.")
  Duration progressInterval;

  @Override
  public Integer call() throws Exception {
    GeneratorConfig config = toConfig();
    return new GeneratorRun(config, spec.commandLine().getErr()).run();
  }

  /**
   * Checks every flag and converts them into one immutable config.
   *
   * @throws ParameterException naming the flag and the value
   */
  public GeneratorConfig toConfig() {
    Simulation market = simulation.toSimulation();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw Flags.invalid(
          spec, "--rate", rate, "must be a number of records per second, 0 or more");
    }
    return new GeneratorConfig(
        market,
        replay.file(),
        replay.toReplay(market.startMillis()),
        rate,
        sink.toSink(),
        sink.toSettings(),
        progressInterval);
  }
}
