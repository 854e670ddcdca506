package io.tickstream.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project's runner-configs files, copied into this module's resources by the build: the EMR
 * job's options file and the cluster's Flink configuration, with their S3 placeholders filled in.
 */
public final class RunnerConfigs {
  /** The checkpoint location the shipped files hold until a deployment fills it in. */
  static final String PLACEHOLDER = "s3://CHANGE-ME-checkpoints/tickstream";

  private static final String DIR = "/io/tickstream/infra/runner-configs/";

  private RunnerConfigs() {}

  /**
   * {@code runner-configs/flink-emr.yaml} with its checkpoints under {@code checkpoints} and its
   * region.
   */
  public static String flinkEmrOptions(String checkpoints, String region) {
    return read("flink-emr.yaml")
        .replace(PLACEHOLDER, checkpoints)
        .replaceAll("(?m)^region: .*$", "region: " + region);
  }

  /** {@code runner-configs/backfill-flink-batch.yaml}: the batch jobs' options, as shipped. */
  public static String backfillBatchOptions() {
    return read("backfill-flink-batch.yaml");
  }

  /**
   * {@code runner-configs/flink-cluster-conf/flink-conf.yaml} as EMR's {@code flink-conf}
   * classification's properties, its checkpoints under {@code checkpoints}.
   */
  public static Map<String, String> flinkConf(String checkpoints) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String line : read("flink-cluster-conf/flink-conf.yaml").split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(": ");
      if (colon < 0) {
        throw new IllegalStateException("flink-conf.yaml: not a 'key: value' line: " + trimmed);
      }
      properties.put(
          trimmed.substring(0, colon),
          trimmed.substring(colon + 2).replace(PLACEHOLDER, checkpoints));
    }
    return properties;
  }

  /** The JVM flags Flink 1.19 needs on Java 17, as the cluster's processes get them. */
  public static String javaOpens() {
    return flinkConf(PLACEHOLDER).get("env.java.opts.all");
  }

  private static String read(String file) {
    try (InputStream in = RunnerConfigs.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("runner-configs/" + file + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
