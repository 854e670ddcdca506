package io.tickstream.generator.sink;

import java.time.Duration;
import java.util.Map;

/** Opens the sink a {@link SinkSpec} names, with the settings the command line gives. */
public final class Sinks {
  private Sinks() {}

  /**
   * Settings that only some sinks use.
   *
   * @param fileMaxBytes roll a file before it passes this many (uncompressed) bytes
   * @param fileRollInterval roll a file after this much event time
   * @param gzip compress files
   * @param kinesisEndpoint endpoint override (kinesalite, a VPC endpoint), or null for AWS's
   * @param region AWS region
   * @param kafkaProperties extra Kafka producer properties
   */
  public record Settings(
      long fileMaxBytes,
      Duration fileRollInterval,
      boolean gzip,
      java.net.URI kinesisEndpoint,
      String region,
      Map<String, Object> kafkaProperties) {}

  public static TickSink open(SinkSpec spec, Settings settings) {
    switch (spec.type()) {
      case STDOUT:
        return new StdoutSink();
      case FILE:
        return new FileSink(
            spec.directory(),
            settings.fileMaxBytes(),
            settings.fileRollInterval(),
            settings.gzip());
      case KAFKA:
        return new KafkaSink(spec.target(), spec.topic(), settings.kafkaProperties());
      case KINESIS:
        // JSON instead of CBOR: Kinesis accepts both, kinesalite and some proxies only JSON.
        if (System.getProperty("aws.cborEnabled") == null) {
          System.setProperty("aws.cborEnabled", "false");
        }
        return KinesisSink.create(
            spec.target(),
            settings.kinesisEndpoint(),
            software.amazon.awssdk.regions.Region.of(settings.region()));
      default:
        throw new IllegalArgumentException("unknown sink type " + spec.type());
    }
  }
}
