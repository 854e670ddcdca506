package io.tickstream.cli;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that exposes tickstream's Beam metrics (which the Flink runner registers
 * as Flink counters) and operators' input watermarks to the launcher's progress line, when Flink
 * runs embedded in the launcher's JVM. On a cluster, Flink's own reporters (JMX, Prometheus) read
 * the same metrics.
 */
public final class FlinkProgressReporter implements MetricReporter {

  /**
   * Points an embedded Flink job at a Flink configuration that registers this reporter, unless the
   * options name a configuration directory of their own.
   */
  public static void registerWith(FlinkPipelineOptions flink) throws IOException {
    if (flink.getFlinkConfDir() != null) {
      return;
    }
    Path dir = Files.createTempDirectory("tickstream-flink-conf");
    Path conf = dir.resolve("flink-conf.yaml");
    Files.writeString(
        conf, "metrics.reporter.tickstream.factory.class: " + Factory.class.getName() + "\n");
    dir.toFile().deleteOnExit();
    conf.toFile().deleteOnExit();
    flink.setFlinkConfDir(dir.toString());
  }

  /**
   * Registered through Flink's configuration: {@code metrics.reporter.tickstream.factory.class}.
   */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new FlinkProgressReporter();
    }
  }

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
    // Keep the last values so the progress line does not drop to zero while a job winds down.
  }
}
