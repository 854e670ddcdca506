package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickstream.pipeline.PipelineLake;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.testing.FlinkSessionCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink job jar on a real session cluster of three processes (a JobManager, two TaskManagers),
 * submitted the way a user submits to EMR: {@code tickstream stream --flinkMaster=HOST:PORT} from
 * the shaded jar with the Flink client jars beside it, checkpointing into the RocksDB state
 * backend. The lake it writes equals, record for record, the one the DirectRunner writes from the
 * same seeded faulty stream, and the cluster's Prometheus reporters serve the pipeline's Beam
 * metrics and Flink's checkpoint metrics while it runs.
 */
class FlinkClusterIT {
  private static final Pattern JOB_LINE =
      Pattern.compile("job ([0-9a-f]{32}) running on the cluster .*Flink UI (\\S+)");

  @TempDir Path tmp;

  @Test
  void theJobJarRunsOnASessionClusterAndWritesTheDirectRunnersLake() throws Exception {
    Path lake = tmp.resolve("lake");
    try (FlinkSessionCluster cluster =
        FlinkSessionCluster.start(
            2,
            1,
            Map.of(
                "restart-strategy.fixed-delay.attempts", "2",
                "restart-strategy.fixed-delay.delay", "1 s"))) {
      Process client = submit(cluster, lake);
      Set<String> seen = new HashSet<>();
      List<Integer> ports = new ArrayList<>(cluster.taskManagerMetricsPorts());
      ports.add(cluster.jobManagerMetricsPort());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (client.isAlive()) {
        if (System.nanoTime() > deadline) {
          client.destroyForcibly();
          cluster.keepLogs();
          throw new AssertionError("the job did not end in 5 minutes");
        }
        for (int port : ports) {
          String metrics = scrapeQuietly(port);
          if (metrics.contains("tickstream_ticks_in")) {
            seen.add("beam counter");
          }
          if (metrics.contains("flink_jobmanager_job_lastCheckpointDuration")) {
            seen.add("checkpoint duration");
          }
          if (metrics.contains("flink_jobmanager_job_lastCheckpointSize")) {
            seen.add("checkpoint size");
          }
          if (metrics.contains("currentInputWatermark")) {
            seen.add("watermark");
          }
        }
        client.waitFor(300, TimeUnit.MILLISECONDS);
      }
      String err = JobJarClient.err(tmp, "client");
      if (client.exitValue() != 0) {
        cluster.keepLogs();
      }
      assertEquals(0, client.exitValue(), err);
      Matcher job = JOB_LINE.matcher(err);
      assertTrue(job.find(), "the launcher names the job and its UI:\n" + err);
      assertTrue(
          job.group(2).startsWith("http://" + cluster.master() + "/#/job/running/" + job.group(1)),
          job.group(2));
      assertEquals(
          Set.of("beam counter", "checkpoint duration", "checkpoint size", "watermark"),
          seen,
          "scraped from the reporters while the job ran");

      JsonNode done = cluster.rest("/jobs/" + job.group(1));
      assertEquals("FINISHED", done.path("state").asText(), done.toString());
      Set<String> taskManagers = new HashSet<>();
      for (JsonNode vertex : done.path("vertices")) {
        JsonNode where =
            cluster.rest(
                "/jobs/"
                    + job.group(1)
                    + "/vertices/"
                    + vertex.path("id").asText()
                    + "/taskmanagers");
        where
            .path("taskmanagers")
            .forEach(tm -> taskManagers.add(tm.path("taskmanager-id").asText()));
      }
      assertEquals(2, taskManagers.size(), "both TaskManagers ran the job: " + taskManagers);
    }

    try (LakeReader cluster = LakeReader.local(lake);
        LakeReader direct = LakeReader.local(PipelineLake.get().root())) {
      for (Dataset<?> dataset :
          List.of(
              Dataset.TICKS, Dataset.BARS_1M, Dataset.SIGNALS, Dataset.POSITIONS, Dataset.TRADES)) {
        List<?> expected = direct.records(dataset);
        assertFalse(expected.isEmpty(), dataset.name());
        assertEquals(expected, cluster.records(dataset), dataset.name());
      }
      assertEquals(
          direct.records(Dataset.DEAD_LETTER).size(),
          cluster.records(Dataset.DEAD_LETTER).size(),
          "dead letters");
    }
  }

  /** PipelineLake's stream and strategy, from the job jar, checkpointing into RocksDB. */
  private Process submit(FlinkSessionCluster cluster, Path lake) throws IOException {
    return JobJarClient.stream(
        cluster,
        tmp,
        "client",
        List.of(
            "--parallelism=2",
            "--checkpointingInterval=1000",
            "--stateBackend=rocksdb",
            "--stateBackendStoragePath=file://" + tmp.resolve("checkpoints"),
            "--source=generator",
            "--generator-splits=1",
            "--symbols=5",
            "--seed=41",
            "--start=2025-03-04T23:15:00Z",
            "--duration=90m",
            "--speed=900",
            "--bad-rate=0.01",
            "--dup-rate=0.02",
            "--max-disorder=20s",
            "--late-rate=0.004",
            "--late-by=3m",
            "--max-out-of-orderness=30s",
            "--fast=" + PipelineLake.STRATEGY.fast(),
            "--slow=" + PipelineLake.STRATEGY.slow(),
            "--notional=10000",
            "--fee-bps=5",
            "--lake=" + lake));
  }

  private static String scrapeQuietly(int port) {
    try {
      return FlinkSessionCluster.scrape(port);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
