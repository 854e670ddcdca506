package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.testing.FlinkSessionCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tickstream} run from the Flink job jar in a process of its own, as on an EMR primary
 * node: the jar and the cluster's Flink jars on the classpath, the Java 17 flags, the jar staged to
 * the cluster. Its output goes to {@code NAME.out} and {@code NAME.err} in a directory.
 */
final class JobJarClient {
  private JobJarClient() {}

  /** The job jar the build made. */
  static String jobJar() {
    String jar = System.getProperty("tickstream.flinkJobJar");
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the build made the job jar");
    return jar;
  }

  /**
   * Starts {@code tickstream stream --flinkMaster=CLUSTER --filesToStage=JAR ARGS...}.
   *
   * @param dir where the client's output and log go
   * @param name the output files' name
   */
  static Process stream(FlinkSessionCluster cluster, Path dir, String name, List<String> args)
      throws IOException {
    String jar = jobJar();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(FlinkSessionCluster.JAVA_17_FLAGS);
    cmd.add("-Dlog4j.configurationFile=file:" + cluster.confDir().resolve("log4j.properties"));
    cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
    cmd.add("-cp");
    cmd.add(jar + ":" + cluster.classpath());
    cmd.add(Tickstream.class.getName());
    cmd.add("stream");
    cmd.add("--flinkMaster=" + cluster.master());
    cmd.add("--filesToStage=" + jar);
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
  }

  /** What the client {@code name} wrote to stderr. */
  static String err(Path dir, String name) throws IOException {
    return Files.readString(dir.resolve(name + ".err"));
  }
}
