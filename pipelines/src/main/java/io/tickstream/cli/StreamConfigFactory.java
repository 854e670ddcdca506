package io.tickstream.cli;

import io.tickstream.generator.Durations;
import io.tickstream.generator.Simulation;
import io.tickstream.generator.cli.Endpoints;
import io.tickstream.generator.cli.Flags;
import io.tickstream.generator.cli.SimulationFlags;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.sink.cloudwatch.DeadLetterMetricsConfig;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.dynamodb.PositionsTableConfig;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns {@code tickstream stream}'s flags into one {@link StreamConfig}, once, in one place (as
 * Spotify dbeam's args factory does): every value parsed and range-checked, and settings that
 * depend on each other checked together, with a message naming every flag involved. The checks of
 * the flags {@code backfill} shares (event time, strategy) are package-visible for {@link
 * BackfillCommand}.
 */
final class StreamConfigFactory {
  private final CommandSpec spec;
  private final Set<String> given;

  /**
   * @param spec the command, whose flags the messages name
   * @param given the flags given on the command line or in an options file, e.g. {@code --symbols}
   */
  StreamConfigFactory(CommandSpec spec, Set<String> given) {
    this.spec = spec;
    this.given = given;
  }

  /**
   * @param simulation the simulation flags, used when the source is the generator
   * @throws ParameterException naming the flag (or flags) and the value
   */
  StreamConfig from(StreamOptions o, SimulationFlags simulation) {
    SourceSpec source = parse("--source", o.getSource(), SourceSpec::parse);
    boolean generator = source.type() == SourceSpec.Type.GENERATOR;
    if (!generator) {
      rejectGiven(
          SimulationFlags.NAMES,
          "applies to --source=generator only, not --source=" + o.getSource());
      rejectGiven(
          List.of("--generator-splits"),
          "applies to --source=generator only, not --source=" + o.getSource());
    }
    String kafka = "kafka:HOST:PORT/TOPIC";
    onlyFor(
        source, o.getSource(), SourceSpec.Type.KAFKA, kafka, "--kafka-group", o.getKafkaGroup());
    if (o.getKafkaGroup() != null && o.getKafkaGroup().isBlank()) {
      throw Flags.invalid(spec, "--kafka-group", o.getKafkaGroup(), "must not be blank");
    }
    onlyFor(
        source,
        o.getSource(),
        SourceSpec.Type.KAFKA,
        kafka,
        "--stop-when-idle",
        o.getStopWhenIdle() ? true : null);
    onlyFor(
        source,
        o.getSource(),
        SourceSpec.Type.KINESIS,
        "kinesis:STREAM",
        "--kinesis-endpoint",
        o.getKinesisEndpoint());
    Duration maxOutOfOrderness = duration("--max-out-of-orderness", o.getMaxOutOfOrderness(), true);
    GeneratorSourceConfig generatorSource = null;
    if (generator) {
      Simulation market = simulation.toSimulation();
      int splits = o.getGeneratorSplits();
      if (splits < 1) {
        throw Flags.invalid(spec, "--generator-splits", splits, "must be 1 or more");
      }
      generatorSource =
          GeneratorSourceConfig.of(market)
              .withSplits(Math.min(splits, market.symbols().size()))
              .withMaxOutOfOrderness(maxOutOfOrderness);
    }
    Duration dedupWindow = duration("--dedup-window", o.getDedupWindow(), false);
    Duration stateTtl = stateTtl(o, dedupWindow, maxOutOfOrderness);
    return StreamConfig.builder()
        .setSource(source)
        .setGenerator(generatorSource)
        .setDedupWindow(dedupWindow)
        .setMaxOutOfOrderness(maxOutOfOrderness)
        .setIdleTimeout(duration("--idle-timeout", o.getIdleTimeout(), false))
        .setStopWhenIdle(o.getStopWhenIdle())
        .setKafkaGroup(o.getKafkaGroup())
        .setStateTtl(stateTtl)
        .setStrategy(strategy(o))
        .setLake(lake(o).withWriter(writer(source)))
        .setKinesisEndpoint(
            o.getKinesisEndpoint() == null
                ? null
                : parse("--kinesis-endpoint", o.getKinesisEndpoint(), Endpoints::httpUri))
        .setRegion(parse("--region", o.getRegion(), StreamConfigFactory::region))
        .setPositionsTable(positionsTable(o))
        .setDeadLetterMetrics(deadLetterMetrics(o))
        .build();
  }

  /** {@code --state-ttl}, checked against the dedup window and the max out-of-orderness. */
  Duration stateTtl(EventTimeOptions o, Duration dedupWindow, Duration maxOutOfOrderness) {
    Duration stateTtl = duration("--state-ttl", o.getStateTtl(), false);
    if (stateTtl.compareTo(dedupWindow) <= 0 || stateTtl.compareTo(maxOutOfOrderness) <= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid values for options '--state-ttl', '--dedup-window' and"
              + " '--max-out-of-orderness': '"
              + o.getStateTtl()
              + "' must be longer than '"
              + o.getDedupWindow()
              + "' and '"
              + o.getMaxOutOfOrderness()
              + "' (a symbol's state may only go once none of it can still count)");
    }
    return stateTtl;
  }

  StrategyConfig strategy(StrategyOptions o) {
    if (o.getFast() < 1 || o.getSlow() <= o.getFast()) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid values for options '--fast' and '--slow': '"
              + o.getFast()
              + "' and '"
              + o.getSlow()
              + "' must satisfy 1 <= --fast < --slow");
    }
    if (!(o.getNotional() > 0) || Double.isInfinite(o.getNotional())) {
      throw Flags.invalid(
          spec, "--notional", o.getNotional(), "must be a positive number of dollars");
    }
    if (!(o.getFeeBps() >= 0) || Double.isInfinite(o.getFeeBps())) {
      throw Flags.invalid(spec, "--fee-bps", o.getFeeBps(), "must be 0 or more basis points");
    }
    return new StrategyConfig(o.getFast(), o.getSlow(), o.getNotional(), o.getFeeBps());
  }

  /**
   * Rejects {@code flag}, when given ({@code value} not null), for a source other than {@code
   * type}, whose form is {@code form}; {@code typed} is the {@code --source} as typed.
   */
  private void onlyFor(
      SourceSpec source,
      String typed,
      SourceSpec.Type type,
      String form,
      String flag,
      @Nullable Object value) {
    if (value != null && source.type() != type) {
      throw Flags.invalid(
          spec, flag, value, "applies to --source=" + form + " only, not --source=" + typed);
    }
  }

  /**
   * A stream job's lake writer: {@code stream-} and a hash of its source, the same for a run and
   * the run that resumes it, another for a job reading elsewhere.
   */
  static String writer(SourceSpec source) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(source.describe().getBytes(StandardCharsets.UTF_8));
      return "stream-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private LakeConfig lake(LakeOptions o) {
    LakeConfig lake = parse("--lake", o.getLake(), LakeConfig::at);
    Duration fileWindow = duration("--file-window", o.getFileWindow(), false);
    lake = check("--file-window", o.getFileWindow(), lake, l -> l.withFileWindow(fileWindow));
    lake = check("--lake-shards", o.getLakeShards(), lake, l -> l.withShards(o.getLakeShards()));
    Duration lateness = duration("--lake-allowed-lateness", o.getLakeAllowedLateness(), true);
    return check(
        "--lake-allowed-lateness",
        o.getLakeAllowedLateness(),
        lake,
        l -> l.withAllowedLateness(lateness));
  }

  private @Nullable PositionsTableConfig positionsTable(StreamOptions o) {
    if (o.getPositionsTable() == null) {
      if (o.getDynamodbEndpoint() != null) {
        throw Flags.invalid(
            spec,
            "--dynamodb-endpoint",
            o.getDynamodbEndpoint(),
            "is set, but --positions-table is not: name the table it holds");
      }
      return null;
    }
    PositionsTableConfig table =
        parse(
            "--positions-table",
            o.getPositionsTable(),
            t -> PositionsTableConfig.of(t, o.getRegion()));
    if (o.getDynamodbEndpoint() == null) {
      return table;
    }
    return table.withEndpoint(
        parse("--dynamodb-endpoint", o.getDynamodbEndpoint(), Endpoints::httpUri));
  }

  private @Nullable DeadLetterMetricsConfig deadLetterMetrics(StreamOptions o) {
    if (o.getDeadLetterMetricsNamespace() == null) {
      if (o.getCloudwatchEndpoint() != null) {
        throw Flags.invalid(
            spec,
            "--cloudwatch-endpoint",
            o.getCloudwatchEndpoint(),
            "is set, but --dead-letter-metrics-namespace is not: name the namespace to send to");
      }
      return null;
    }
    DeadLetterMetricsConfig metrics =
        parse(
            "--dead-letter-metrics-namespace",
            o.getDeadLetterMetricsNamespace(),
            ns -> DeadLetterMetricsConfig.of(ns, o.getRegion()));
    if (o.getCloudwatchEndpoint() == null) {
      return metrics;
    }
    return metrics.withEndpoint(
        parse("--cloudwatch-endpoint", o.getCloudwatchEndpoint(), Endpoints::httpUri));
  }

  /** Rejects any of {@code flags} that was given: it has no effect with the settings at hand. */
  private void rejectGiven(List<String> flags, String why) {
    for (String flag : flags) {
      if (given.contains(flag)) {
        Object value = spec.findOption(flag).getValue();
        throw Flags.invalid(spec, flag, String.valueOf(value), why);
      }
    }
  }

  Duration duration(String flag, String value, boolean zeroAllowed) {
    Duration d = parse(flag, value, Durations::parse);
    if (d.isZero() && !zeroAllowed) {
      throw Flags.invalid(spec, flag, value, "must be positive");
    }
    return d;
  }

  <T> T parse(String flag, String value, Function<String, T> parser) {
    return Flags.parse(spec, flag, value, parser);
  }

  /** {@code change} applied to {@code lake}; its complaint becomes one about {@code flag}. */
  private LakeConfig check(
      String flag, Object value, LakeConfig lake, Function<LakeConfig, LakeConfig> change) {
    try {
      return change.apply(lake);
    } catch (IllegalArgumentException e) {
      throw Flags.invalid(spec, flag, value, e.getMessage());
    }
  }

  private static String region(String value) {
    if (!value.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException("is not an AWS region such as us-east-1");
    }
    return value;
  }
}
