package io.tickstream.pipeline.io;

import io.tickstream.generator.sink.SinkSpec;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * A parsed {@code --source}: {@code generator}, {@code file:GLOB}, {@code kafka:HOST:PORT/TOPIC} or
 * {@code kinesis:STREAM}. The address forms are the generator's {@code --sink} forms, parsed by the
 * same code, so a generator's sink and a pipeline's source are written alike.
 *
 * @param type which source
 * @param target the glob, bootstrap servers or stream; null for the generator
 * @param topic the Kafka topic, else null
 */
public record SourceSpec(Type type, @Nullable String target, @Nullable String topic)
    implements Serializable {

  /**
   * The default idle timeout of Kafka partitions and Kinesis shards, as typed on the command line.
   */
  public static final String DEFAULT_IDLE_TIMEOUT = "1m";

  /** The kinds of source. */
  public enum Type {
    GENERATOR,
    FILE,
    KAFKA,
    KINESIS
  }

  /**
   * @throws IllegalArgumentException quoting the value and the accepted forms
   */
  public static SourceSpec parse(String value) {
    if (value.trim().equals("generator")) {
      return new SourceSpec(Type.GENERATOR, null, null);
    }
    if (value.trim().equals("stdout") || value.trim().equals("-")) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "': expected generator, file:GLOB, kafka:HOST:PORT/TOPIC or kinesis:STREAM");
    }
    SinkSpec spec;
    try {
      spec = SinkSpec.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage().replace("stdout, file:DIR", "generator, file:GLOB"));
    }
    return new SourceSpec(Type.valueOf(spec.type().name()), spec.target(), spec.topic());
  }

  /** True for sources that end (files); the others run until stopped. */
  public boolean bounded() {
    return type == Type.FILE;
  }

  /** The source as written, for messages and the dead letters' {@code source} column. */
  public String describe() {
    switch (type) {
      case GENERATOR:
        return "generator";
      case FILE:
        return "file:" + target;
      case KAFKA:
        return "kafka:" + target + "/" + topic;
      default:
        return "kinesis:" + target;
    }
  }
}
