package io.tickstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Bar;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.Signal;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.pipeline.sink.cloudwatch.DeadLetterMetricsConfig;
import io.tickstream.pipeline.sink.cloudwatch.PublishDeadLetterCounts;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.pipeline.sink.datalake.SuccessMarker;
import io.tickstream.pipeline.transforms.StrategyConfig;
import io.tickstream.testing.CloudWatchRecorder;
import io.tickstream.tick.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the generator source with faults of every kind, through the whole job, into a Parquet
 * lake, read back with DuckDB; once on DirectRunner and once on embedded Flink, which must agree
 * row for row on bars, signals and trades; the dead-letter counts each sends to CloudWatch add up
 * to the dead letters in its lake.
 */
class StreamingPipelineTest {
  /** Six symbols for 40 minutes, as fast as possible, with faults of every kind. */
  private static final Simulation SIMULATION =
      Simulation.builder()
          .setFirstSymbols(6)
          .setSeed(7)
          .setDuration(Duration.ofMinutes(40))
          .setSpeed(Double.POSITIVE_INFINITY)
          .setFaults(
              new FaultConfig(0.01, 0.01, Duration.ofSeconds(10), 0.005, Duration.ofMinutes(3)))
          .build();

  @TempDir static Path tmp;

  private static Run direct;
  private static Run flink;

  /** One run's lake contents and counters. */
  record Run(
      List<Tick> ticks,
      Set<Bar> bars,
      Set<Signal> signals,
      Set<Trade> trades,
      List<DeadLetter> deadLetters,
      long ticksIn,
      long ticksValid,
      long deadLetterCount,
      long ticksUnique,
      long late,
      List<CloudWatchRecorder.Datum> deadLetterMetrics) {}

  @BeforeAll
  static void runBoth() throws Exception {
    direct = run("direct", false);
    flink = run("flink", true);
  }

  @Test
  void directRunnerAndFlinkWriteTheSameBarsSignalsAndTrades() {
    assertFalse(direct.bars().isEmpty());
    assertFalse(direct.signals().isEmpty(), "40 minutes with SMA 3/8 must cross at least once");
    assertFalse(direct.trades().isEmpty());
    assertEquals(direct.bars(), flink.bars());
    assertEquals(direct.signals(), flink.signals());
    assertEquals(direct.trades(), flink.trades());
    assertEquals(new HashSet<>(direct.ticks()), new HashSet<>(flink.ticks()));
    assertEquals(direct.late(), flink.late());
  }

  @Test
  void everyPartitionIsCommittedWithItsFilesAndRows() throws Exception {
    for (String name : List.of("direct", "flink")) {
      Path lake = tmp.resolve(name);
      try (LakeReader reader = LakeReader.local(lake)) {
        for (Dataset<?> dataset : Dataset.all()) {
          Path dir = lake.resolve(dataset.name());
          java.util.Set<String> partitions = new java.util.TreeSet<>();
          for (String file : reader.files(dataset)) {
            partitions.add(file.substring(0, file.lastIndexOf('/')));
          }
          for (String partition : partitions) {
            Path markerFile = dir.resolve(partition).resolve(SuccessMarker.NAME);
            assertTrue(java.nio.file.Files.exists(markerFile), name + ": " + markerFile);
            SuccessMarker marker =
                SuccessMarker.parse(
                    java.nio.file.Files.readAllBytes(markerFile), markerFile.toString());
            assertEquals("stream", marker.writtenBy());
            assertEquals(reader.count(dataset, partition), marker.rows(), markerFile.toString());
            try (java.util.stream.Stream<Path> files =
                java.nio.file.Files.list(dir.resolve(partition))) {
              assertEquals(
                  files
                      .map(f -> f.getFileName().toString())
                      .filter(f -> f.endsWith(".parquet"))
                      .sorted()
                      .toList(),
                  marker.fileNames(),
                  markerFile.toString());
            }
          }
        }
      }
    }
  }

  @Test
  void everyRecordEndsUpInExactlyOnePlace() {
    for (Run r : List.of(direct, flink)) {
      assertEquals(r.ticksIn(), r.ticksValid() + r.deadLetterCount());
      assertEquals(r.deadLetterCount(), r.deadLetters().size(), "every dead letter is in the lake");
      assertEquals(r.ticksUnique(), r.ticks().size(), "every unique tick is in the lake once");
      assertEquals(
          r.ticks().size(),
          r.ticks().stream().map(t -> t.getEventId()).distinct().count(),
          "no event id twice in the ticks dataset");
      assertTrue(r.ticksValid() > r.ticksUnique(), "the duplicates were dropped");
      assertTrue(r.late() > 0, "late ticks were counted");
      assertTrue(r.deadLetters().stream().allMatch(d -> d.getSource().equals("generator")));
    }
    // Faults are chosen by the source, not the runner: the same records were read.
    assertEquals(direct.ticksIn(), flink.ticksIn());
    assertEquals(
        direct.deadLetters().stream().map(d -> d.getPayload()).collect(Collectors.toSet()),
        flink.deadLetters().stream().map(d -> d.getPayload()).collect(Collectors.toSet()));
  }

  @Test
  void theDeadLetterCountsSentToCloudWatchAddUpToTheDeadLetters() {
    for (Run r : List.of(direct, flink)) {
      Map<String, Long> inLake =
          r.deadLetters().stream()
              .collect(Collectors.groupingBy(DeadLetter::getErrorCode, Collectors.counting()));
      Map<String, Long> byCode = new TreeMap<>();
      long total = 0;
      for (CloudWatchRecorder.Datum d : r.deadLetterMetrics()) {
        assertEquals("tickstream/test", d.namespace());
        assertEquals(PublishDeadLetterCounts.METRIC_NAME, d.metricName());
        if (d.dimensions().isEmpty()) {
          total += (long) d.value();
        } else {
          byCode.merge(
              d.dimensions().get(PublishDeadLetterCounts.ERROR_CODE_DIMENSION),
              (long) d.value(),
              Long::sum);
        }
      }
      assertTrue(r.deadLetterCount() > 0, "the faults made dead letters");
      assertEquals(r.deadLetterCount(), total);
      assertEquals(new TreeMap<>(inLake), byCode);
    }
  }

  private static Run run(String name, boolean onFlink) throws Exception {
    Path lake = tmp.resolve(name);
    try (CloudWatchRecorder cloudWatch = CloudWatchRecorder.start()) {
      return run(name, onFlink, lake, cloudWatch);
    }
  }

  private static Run run(String name, boolean onFlink, Path lake, CloudWatchRecorder cloudWatch)
      throws Exception {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--streaming=true").as(PipelineOptions.class);
    if (onFlink) {
      options.setRunner(FlinkRunner.class);
      FlinkPipelineOptions f = options.as(FlinkPipelineOptions.class);
      f.setFlinkMaster("[local]");
      f.setParallelism(2);
      // As the launcher runs it; the DirectRunner run below enforces immutability, so equal
      // results show no transform depends on Flink copying elements.
      f.setObjectReuse(true);
    } else {
      options.setRunner(DirectRunner.class);
      // One worker thread: the DirectRunner's parallel bundles may otherwise reorder a symbol's
      // ticks between stateful steps, which Flink (one channel per key) never does.
      options.as(org.apache.beam.runners.direct.DirectOptions.class).setTargetParallelism(1);
    }
    StreamConfig config =
        StreamConfig.builder()
            .setSource(SourceSpec.parse("generator"))
            .setGenerator(
                GeneratorSourceConfig.of(SIMULATION).withMaxOutOfOrderness(Duration.ofSeconds(30)))
            .setStrategy(new StrategyConfig(3, 8, 10_000, 0))
            .setLake(LakeConfig.at(lake.toString()))
            .setDeadLetterMetrics(
                DeadLetterMetricsConfig.of("tickstream/test", "us-east-1")
                    .withEndpoint(cloudWatch.endpoint())
                    .withStaticCredentials("test", "test"))
            .build();
    PipelineResult result = StreamingPipeline.run(options, config);
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    try (LakeReader reader = LakeReader.local(lake)) {
      return new Run(
          reader.records(Dataset.TICKS),
          new HashSet<>(reader.records(Dataset.BARS_1M)),
          new HashSet<>(reader.records(Dataset.SIGNALS)),
          new HashSet<>(reader.records(Dataset.TRADES)),
          reader.records(Dataset.DEAD_LETTER),
          counter(result, PipelineMetrics.TICKS_IN),
          counter(result, PipelineMetrics.TICKS_VALID),
          counter(result, PipelineMetrics.DEAD_LETTERS),
          counter(result, PipelineMetrics.TICKS_UNIQUE),
          counter(result, PipelineMetrics.LATE_TICKS),
          cloudWatch.data());
    }
  }

  private static long counter(PipelineResult result, String name) {
    return PipelineMetrics.sum(result, name);
  }
}
