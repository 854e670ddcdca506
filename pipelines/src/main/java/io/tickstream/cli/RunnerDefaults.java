package io.tickstream.cli;

import java.io.IOException;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.runners.portability.PortableRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PortablePipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * The launcher's runner choices: embedded Flink unless a runner is named, batch mode for bounded
 * sources, object reuse on Flink, embedded Flink as parallel as the machine has cores, and on Flink
 * a configuration that lets the launcher follow and stop the job ({@link FlinkJobs}). With {@link
 * JobRun} and {@link PortableStateCheck}, the only code outside {@code runner-configs/} that knows
 * runners by name.
 */
final class RunnerDefaults {
  /** The engines the launcher tells apart. */
  enum Engine {
    /** A Flink MiniCluster in this JVM ({@code --flinkMaster=[local]}). */
    EMBEDDED_FLINK,
    /** A Flink cluster elsewhere. */
    FLINK_CLUSTER,
    DIRECT,
    /** Beam's portability layer: a job server ({@code --jobEndpoint}) runs the job. */
    PORTABLE,
    /** Any other Beam runner. */
    OTHER;

    String describe(PipelineOptions options) {
      switch (this) {
        case EMBEDDED_FLINK:
          return "embedded Flink";
        case FLINK_CLUSTER:
          return "Flink at " + options.as(FlinkPipelineOptions.class).getFlinkMaster();
        case PORTABLE:
          return "PortableRunner at " + options.as(PortablePipelineOptions.class).getJobEndpoint();
        default:
          return options.getRunner().getSimpleName();
      }
    }
  }

  private RunnerDefaults() {}

  /**
   * Applies the defaults to what {@code given} (the Beam properties set on the command line or in
   * an options file) leaves open.
   */
  static Engine apply(PipelineOptions options, Set<String> given, boolean bounded)
      throws IOException {
    if (!given.contains("runner")) {
      options.setRunner(FlinkRunner.class);
    }
    if (!given.contains("streaming")) {
      options.as(StreamingOptions.class).setStreaming(!bounded);
    }
    if (options.getRunner().getSimpleName().startsWith("Direct")) {
      // The launcher follows the job itself: progress, signals, summary.
      options.as(DirectOptions.class).setBlockOnRun(false);
      return Engine.DIRECT;
    }
    if (options.getRunner().equals(PortableRunner.class)) {
      return Engine.PORTABLE;
    }
    if (!options.getRunner().equals(FlinkRunner.class)) {
      return Engine.OTHER;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!given.contains("flinkMaster")) {
      flink.setFlinkMaster("[local]");
    }
    if (!given.contains("objectReuse")) {
      // Every transform leaves its inputs and emitted outputs alone (the DirectRunner tests
      // enforce it), so Flink may hand elements down a chain without a coder round trip.
      flink.setObjectReuse(true);
    }
    boolean embedded = "[local]".equals(flink.getFlinkMaster());
    if (embedded && !given.contains("parallelism")) {
      flink.setParallelism(Runtime.getRuntime().availableProcessors());
    }
    FlinkJobs.configure(flink, embedded);
    return embedded ? Engine.EMBEDDED_FLINK : Engine.FLINK_CLUSTER;
  }
}
