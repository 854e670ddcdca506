package io.tickstream.generator.sink;

import java.nio.file.Path;
import javax.annotation.Nullable;

/**
 * A parsed {@code --sink} value: {@code stdout}, {@code file:DIR}, {@code kafka:HOST:PORT/TOPIC}
 * (several brokers as {@code kafka:H1:P1,H2:P2/TOPIC}) or {@code kinesis:STREAM}.
 *
 * @param type which destination
 * @param target the directory, the bootstrap servers, or the stream name; null for stdout
 * @param topic the Kafka topic; null otherwise
 */
public record SinkSpec(Type type, @Nullable String target, @Nullable String topic) {

  /** The kinds of destination. */
  public enum Type {
    STDOUT,
    FILE,
    KAFKA,
    KINESIS
  }

  /** The directory of a {@code file:} sink. */
  public Path directory() {
    return Path.of(target);
  }

  /**
   * Parses a sink value.
   *
   * @throws IllegalArgumentException with a message that quotes the value and the expected forms
   */
  public static SinkSpec parse(String value) {
    String v = value.trim();
    if (v.equals("stdout") || v.equals("-")) {
      return new SinkSpec(Type.STDOUT, null, null);
    }
    int colon = v.indexOf(':');
    String scheme = colon < 0 ? v : v.substring(0, colon);
    String rest = colon < 0 ? "" : v.substring(colon + 1);
    switch (scheme) {
      case "file":
        if (rest.isEmpty()) {
          throw invalid(value, "file: needs a directory, as in file:./out");
        }
        return new SinkSpec(Type.FILE, rest, null);
      case "kafka":
        {
          int slash = rest.lastIndexOf('/');
          if (slash <= 0 || slash == rest.length() - 1) {
            throw invalid(value, "kafka: needs HOST:PORT/TOPIC, as in kafka:127.0.0.1:9092/ticks");
          }
          String servers = rest.substring(0, slash);
          for (String server : servers.split(",")) {
            int c = server.lastIndexOf(':');
            if (c <= 0 || !isPort(server.substring(c + 1))) {
              throw invalid(value, "'" + server + "' is not HOST:PORT");
            }
          }
          String topic = rest.substring(slash + 1);
          if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw invalid(value, "'" + topic + "' is not a valid Kafka topic name");
          }
          return new SinkSpec(Type.KAFKA, servers, topic);
        }
      case "kinesis":
        if (!rest.matches("[A-Za-z0-9_.-]{1,128}")) {
          throw invalid(value, "kinesis: needs a stream name of 1-128 characters [A-Za-z0-9_.-]");
        }
        return new SinkSpec(Type.KINESIS, rest, null);
      default:
        throw invalid(value, "expected stdout, file:DIR, kafka:HOST:PORT/TOPIC or kinesis:STREAM");
    }
  }

  private static boolean isPort(String s) {
    if (!s.matches("[0-9]{1,5}")) {
      return false;
    }
    int p = Integer.parseInt(s);
    return p > 0 && p < 65536;
  }

  private static IllegalArgumentException invalid(String value, String why) {
    return new IllegalArgumentException("'" + value + "': " + why);
  }
}
