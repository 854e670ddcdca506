package io.tickstream.cli;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * What the launcher hooks into a Flink job through Flink's own configuration: a {@link Listener}
 * that hands it the job's client, so Ctrl-C or SIGTERM can stop the job cleanly, and, when Flink
 * runs embedded, a {@link Reporter} that shows tickstream's metrics and the watermarks on the
 * progress line. On a cluster, Flink's own reporters (JMX, Prometheus) read the same metrics.
 */
public final class FlinkJobs {
  /** The client of the job this JVM submitted last; null before. */
  private static final AtomicReference<JobClient> CURRENT = new AtomicReference<>();

  /** The name the progress line's reporter is registered under. */
  private static final String REPORTER = "tickstream";

  /** Flink's switch for the adaptive batch scheduler's own choice of parallelism. */
  static final String AUTO_PARALLELISM = "execution.batch.adaptive.auto-parallelism.enabled";

  private FlinkJobs() {}

  /**
   * Points the job at a Flink configuration that registers the listener (and, embedded, the
   * reporter) on top of the configuration Flink would otherwise read: {@code --flinkConfDir}, else
   * {@code $FLINK_CONF_DIR} (a cluster's), else none. The merged file goes to a directory of its
   * own (owner-only, removed on exit); the original is not touched.
   */
  public static void configure(FlinkPipelineOptions flink, boolean embedded) throws IOException {
    String base = flink.getFlinkConfDir();
    if (base == null || base.isEmpty()) {
      base = System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR);
    }
    boolean given = base != null && !base.isEmpty();
    // The format of the file read (config.yaml is standard YAML); without one, flat key: value
    // lines (flink-conf.yaml).
    Configuration conf =
        given ? GlobalConfiguration.loadConfiguration(base) : new Configuration(false);
    boolean standardYaml = given && GlobalConfiguration.isStandardYaml();
    List<String> listeners =
        new ArrayList<>(conf.getOptional(DeploymentOptions.JOB_LISTENERS).orElse(List.of()));
    if (!listeners.contains(Listener.class.getName())) {
      listeners.add(Listener.class.getName());
    }
    conf.set(DeploymentOptions.JOB_LISTENERS, listeners);
    if (!conf.containsKey(AUTO_PARALLELISM)) {
      // Batch mode's adaptive scheduler sizes vertices from their input's bytes: a job read from
      // files starts at an Impulse of a few bytes, so it ran every vertex at parallelism 1.
      conf.setString(AUTO_PARALLELISM, "false");
    }
    if (embedded) {
      conf.setString(
          ConfigConstants.METRICS_REPORTER_PREFIX
              + REPORTER
              + "."
              + ConfigConstants.METRICS_REPORTER_FACTORY_CLASS_SUFFIX,
          ReporterFactory.class.getName());
      String enabled = conf.getString(ConfigConstants.METRICS_REPORTERS_LIST, null);
      if (enabled != null && !enabled.isBlank()) { // only the listed reporters run
        conf.setString(ConfigConstants.METRICS_REPORTERS_LIST, enabled + "," + REPORTER);
      }
    }
    Long interval = flink.getCheckpointingInterval();
    if (embedded
        && interval != null
        && interval > 0
        && flink.getStateBackendStoragePath() == null
        && !conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
      // Flink's default checkpoint storage is the JobManager's memory, 5 MB a task's state: the
      // lake writer's state is larger, every checkpoint fails and the job restarts without end.
      Path checkpoints = Files.createTempDirectory("tickstream-checkpoints");
      checkpoints.toFile().deleteOnExit(); // once Flink has removed the finished job's own
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    }
    Path dir = Files.createTempDirectory("tickstream-flink-conf");
    Path file =
        dir.resolve(
            standardYaml
                ? GlobalConfiguration.FLINK_CONF_FILENAME
                : GlobalConfiguration.LEGACY_FLINK_CONF_FILENAME);
    Files.write(file, ConfigurationUtils.convertConfigToWritableLines(conf, false));
    dir.toFile().deleteOnExit(); // files registered later are deleted first
    file.toFile().deleteOnExit();
    flink.setFlinkConfDir(dir.toString());
  }

  /** The client of the running job, or null when none was submitted through the listener. */
  static @Nullable JobClient current() {
    return CURRENT.get();
  }

  static void forget() {
    CURRENT.set(null);
  }

  /** Registered through {@code execution.job-listeners}: keeps the submitted job's client. */
  public static final class Listener implements JobListener {
    @Override
    public void onJobSubmitted(@Nullable JobClient client, @Nullable Throwable failure) {
      if (client != null) {
        CURRENT.set(client);
      }
    }

    @Override
    public void onJobExecuted(@Nullable JobExecutionResult result, @Nullable Throwable failure) {}
  }

  /** Registered through {@code metrics.reporter.tickstream.factory.class}. */
  public static final class ReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new Reporter();
    }
  }

  /**
   * Exposes tickstream's Beam metrics (which the Flink runner registers as Flink counters) and the
   * operators' input watermarks to {@link LiveMetrics}.
   */
  static final class Reporter implements MetricReporter {
    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
      String id = group.getMetricIdentifier(name);
      if (metric instanceof Counter && name.startsWith(PipelineMetrics.NAMESPACE)) {
        Counter c = (Counter) metric;
        LiveMetrics.addCounter(id, c::getCount);
      } else if (metric instanceof Gauge && name.equals("currentInputWatermark")) {
        Gauge<?> g = (Gauge<?>) metric;
        LiveMetrics.addWatermark(
            id,
            () -> {
              Object v = g.getValue();
              return v instanceof Number ? ((Number) v).longValue() : Long.MIN_VALUE;
            });
      }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
      // Keep the last values: the summary of a stopped job reads them after the job is gone.
    }
  }
}
