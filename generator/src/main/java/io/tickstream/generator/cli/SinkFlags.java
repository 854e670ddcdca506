package io.tickstream.generator.cli;

import io.tickstream.generator.sink.SinkSpec;
import io.tickstream.generator.sink.Sinks;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where {@code tickstream generate} sends its records, and how. */
public final class SinkFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--sink",
      paramLabel = "SINK",
      defaultValue = "stdout",
      description = "Where to send: stdout, file:DIR, kafka:HOST:PORT/TOPIC or kinesis:STREAM.")
  String sink;

  @Option(
      names = "--file-max-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + (64L << 20),
      description = "file: roll a file before it passes this many bytes (uncompressed).")
  long fileMaxBytes;

  @Option(
      names = "--file-roll-interval",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "file: roll a file after this much simulated time.")
  Duration fileRollInterval;

  // A flag's default is hidden unless asked for; TICKSTREAM_GZIP=true would otherwise not show.
  @Option(
      names = "--gzip",
      showDefaultValue = Help.Visibility.ALWAYS,
      description = "file: gzip the files.")
  boolean gzip;

  @Option(
      names = "--kinesis-endpoint",
      paramLabel = "URL",
      description =
          "kinesis: endpoint URL, e.g. http://127.0.0.1:4567 for kinesalite; default AWS's.")
  String kinesisEndpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      defaultValue = "us-east-1",
      description = "kinesis: AWS region.")
  String region;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description = "kafka: extra producer property, e.g. compression.type=zstd. Repeatable.")
  List<String> kafkaProperties = new ArrayList<>();

  /** The parsed {@code --sink}. */
  public SinkSpec toSink() {
    return Flags.parse(spec, "--sink", sink, SinkSpec::parse);
  }

  /**
   * The settings only some sinks use.
   *
   * @throws picocli.CommandLine.ParameterException naming the flag and the value
   */
  public Sinks.Settings toSettings() {
    if (fileMaxBytes < 1024) {
      throw Flags.invalid(spec, "--file-max-bytes", fileMaxBytes, "must be at least 1024");
    }
    if (fileRollInterval.isZero()) {
      throw Flags.invalid(spec, "--file-roll-interval", "0", "must be positive");
    }
    URI endpoint =
        kinesisEndpoint == null
            ? null
            : Flags.parse(spec, "--kinesis-endpoint", kinesisEndpoint, Endpoints::httpUri);
    Map<String, Object> kafka = new LinkedHashMap<>();
    for (String p : kafkaProperties) {
      String[] kv = Flags.keyValue(spec, "--kafka-property", p);
      kafka.put(kv[0], kv[1]);
    }
    return new Sinks.Settings(fileMaxBytes, fileRollInterval, gzip, endpoint, region, kafka);
  }
}
