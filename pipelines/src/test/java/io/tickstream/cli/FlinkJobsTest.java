package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's hooks are added to the Flink configuration the job would read anyway, which keeps
 * every setting of its own.
 */
class FlinkJobsTest {
  @TempDir Path tmp;

  private static final String FACTORY = "metrics.reporter.tickstream.factory.class";

  @Test
  void aConfigurationDirectoryOfTheUsersKeepsItsSettingsAndGainsTheHooks() throws IOException {
    Files.writeString(
        tmp.resolve("flink-conf.yaml"),
        String.join(
            "\n",
            "taskmanager.numberOfTaskSlots: 3",
            "execution.job-listeners: com.example.AuditListener",
            "metrics.reporters: prom",
            "metrics.reporter.prom.factory.class: com.example.PromFactory",
            ""));
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setFlinkConfDir(tmp.toString());

    FlinkJobs.configure(options, true);

    assertNotEquals(tmp.toString(), options.getFlinkConfDir(), "the user's file is not touched");
    Configuration conf = GlobalConfiguration.loadConfiguration(options.getFlinkConfDir());
    assertEquals(3, conf.get(TaskManagerOptions.NUM_TASK_SLOTS));
    assertEquals(
        List.of("com.example.AuditListener", FlinkJobs.Listener.class.getName()),
        conf.get(DeploymentOptions.JOB_LISTENERS));
    assertEquals("prom,tickstream", conf.getString("metrics.reporters", null));
    assertEquals(
        "com.example.PromFactory", conf.getString("metrics.reporter.prom.factory.class", ""));
    assertEquals(FlinkJobs.ReporterFactory.class.getName(), conf.getString(FACTORY, ""));
    assertEquals(
        "taskmanager.numberOfTaskSlots: 3\n"
            + "execution.job-listeners: com.example.AuditListener\n"
            + "metrics.reporters: prom\n"
            + "metrics.reporter.prom.factory.class: com.example.PromFactory\n",
        Files.readString(tmp.resolve("flink-conf.yaml")));
  }

  @Test
  void embeddedFlinkCheckpointsToFilesUnlessToldWhere() throws IOException {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setCheckpointingInterval(10_000L);
    FlinkJobs.configure(options, true);
    String dir =
        GlobalConfiguration.loadConfiguration(options.getFlinkConfDir())
            .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
    assertTrue(dir != null && dir.startsWith("file:/"), "a directory, not the memory: " + dir);

    FlinkPipelineOptions told = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    told.setCheckpointingInterval(10_000L);
    told.setStateBackendStoragePath("file:///data/checkpoints");
    FlinkJobs.configure(told, true);
    assertFalse(
        GlobalConfiguration.loadConfiguration(told.getFlinkConfDir())
            .contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
        "the state backend's own path is the place");

    FlinkPipelineOptions cluster = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    cluster.setCheckpointingInterval(10_000L);
    FlinkJobs.configure(cluster, false);
    assertFalse(
        GlobalConfiguration.loadConfiguration(cluster.getFlinkConfDir())
            .contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
        "a cluster's own configuration decides");
  }

  @Test
  void aStandardYamlConfigurationStaysStandardYaml() throws IOException {
    Files.writeString(
        tmp.resolve("config.yaml"),
        String.join(
            "\n",
            "taskmanager:",
            "  numberOfTaskSlots: 4",
            "execution:",
            "  job-listeners: [com.example.AuditListener]",
            ""));
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setFlinkConfDir(tmp.toString());

    FlinkJobs.configure(options, false);

    Path merged = Path.of(options.getFlinkConfDir());
    assertTrue(Files.exists(merged.resolve("config.yaml")), "written as config.yaml");
    Configuration conf = GlobalConfiguration.loadConfiguration(merged.toString());
    assertEquals(4, conf.get(TaskManagerOptions.NUM_TASK_SLOTS));
    assertEquals(
        List.of("com.example.AuditListener", FlinkJobs.Listener.class.getName()),
        conf.get(DeploymentOptions.JOB_LISTENERS));
  }

  @Test
  void withoutAConfigurationOnlyTheHooksAreSetAndTheReporterOnlyEmbedded() throws IOException {
    assumeTrue(System.getenv("FLINK_CONF_DIR") == null, "a cluster's configuration is set");
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    FlinkJobs.configure(options, false);
    Path written = Path.of(options.getFlinkConfDir());
    assertTrue(Files.exists(written.resolve("flink-conf.yaml")), "the flat format Flink reads");
    Configuration conf = GlobalConfiguration.loadConfiguration(written.toString());
    assertEquals(
        List.of(FlinkJobs.Listener.class.getName()), conf.get(DeploymentOptions.JOB_LISTENERS));
    assertEquals("", conf.getString(FACTORY, ""), "a cluster reports through its own reporters");
  }
}
