package io.tickstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.CompactPartitions;
import io.tickstream.pipeline.sink.datalake.CompactionPlan;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.pipeline.sink.datalake.SuccessMarker;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a lake the stream wrote (a file a minute a partition): each committed day becomes
 * one sorted file a leaf partition with the same rows, a rerun finds nothing to do, and a day with
 * an uncommitted partition or one too young is left alone.
 */
class CompactionTest {
  private static final Simulation SIMULATION =
      Simulation.builder()
          .setFirstSymbols(3)
          .setSeed(5)
          .setStartMillis(Instant.parse("2025-04-01T23:20:00Z").toEpochMilli())
          .setDuration(Duration.ofMinutes(80))
          .setSpeed(Double.POSITIVE_INFINITY)
          .setFaults(new FaultConfig(0.01, 0.01, Duration.ofSeconds(5), 0, Duration.ZERO))
          .build();

  private static final Instant LATER = Instant.parse("2025-04-10T00:00:00Z");

  @TempDir Path tmp;
  private Path lake;

  @BeforeEach
  void streamALake() {
    lake = tmp.resolve("lake");
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--streaming=true").create();
    options.setRunner(DirectRunner.class);
    options.as(DirectOptions.class).setTargetParallelism(1);
    StreamConfig config =
        StreamConfig.builder()
            .setSource(SourceSpec.parse("generator"))
            .setGenerator(GeneratorSourceConfig.of(SIMULATION).withSplits(1))
            .setStrategy(new StrategyConfig(3, 8, 10_000, 0))
            .setLake(LakeConfig.at(lake.toString()))
            .build();
    assertEquals(
        PipelineResult.State.DONE, StreamingPipeline.run(options, config).waitUntilFinish());
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private CompactionPlan plan(Dataset<?> dataset, Instant now) throws Exception {
    return CompactionPlan.of(
        LakeConfig.at(lake.toString()), dataset, null, Duration.ofHours(2), now);
  }

  private void compact(Dataset<?> dataset, CompactionPlan plan) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    PipelineResult result =
        CompactionPipeline.run(
            options, dataset, LakeConfig.at(lake.toString()), plan, "c1", 128L << 20);
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
  }

  @Test
  void eachDayBecomesOneSortedFileALeafWithTheSameRows() throws Exception {
    List<Object> before;
    int filesBefore;
    try (LakeReader reader = LakeReader.local(lake)) {
      before = List.copyOf(reader.records(Dataset.TICKS));
      filesBefore = reader.files(Dataset.TICKS).size();
    }
    CompactionPlan plan = plan(Dataset.TICKS, LATER);
    assertEquals(List.of("dt=2025-04-01", "dt=2025-04-02"), plan.days());
    compact(Dataset.TICKS, plan);
    try (LakeReader reader = LakeReader.local(lake)) {
      assertEquals(new HashSet<>(before), new HashSet<>(reader.records(Dataset.TICKS)));
      assertEquals(before.size(), reader.records(Dataset.TICKS).size());
      List<String> files = reader.files(Dataset.TICKS);
      assertTrue(filesBefore > 40, "the stream wrote a file a minute: " + filesBefore);
      assertEquals(
          List.of(
              "dt=2025-04-01/hour=23/part-00000-00000.parquet",
              "dt=2025-04-02/hour=00/part-00000-00000.parquet"),
          files);
      List<List<Object>> rows = reader.inFileOrder(Dataset.TICKS, "symbol", "timestamp");
      for (int i = 1; i < rows.size(); i++) {
        List<Object> a = rows.get(i - 1);
        List<Object> b = rows.get(i);
        if (a.get(0).equals(b.get(0))) {
          int bySymbol = ((String) a.get(1)).compareTo((String) b.get(1));
          assertTrue(
              bySymbol < 0 || (bySymbol == 0 && !((Instant) a.get(2)).isAfter((Instant) b.get(2))),
              a + " then " + b);
        }
      }
      for (String file : files) {
        Path marker = lake.resolve("ticks").resolve(file).getParent().resolve(SuccessMarker.NAME);
        SuccessMarker m = SuccessMarker.parse(Files.readAllBytes(marker), marker.toString());
        assertEquals("compact", m.writtenBy());
        assertEquals(List.of(Path.of(file).getFileName().toString()), m.fileNames());
      }
    }
    try (Stream<Path> all = Files.walk(lake.resolve("ticks"))) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".staging")));
    }
    CompactionPlan again = plan(Dataset.TICKS, LATER);
    assertEquals(List.of(), again.days(), "a rerun finds the days compact: " + again.skipped());
  }

  @Test
  void aCompactionInterruptedMidSwapIsRepairedAndRerun() throws Exception {
    List<Object> before;
    try (LakeReader reader = LakeReader.local(lake)) {
      before = List.copyOf(reader.records(Dataset.TICKS));
    }
    // As a run killed between its two renames leaves it: the day moved away, staging left over.
    Path ticks = lake.resolve("ticks");
    Files.move(ticks.resolve("dt=2025-04-02"), ticks.resolve(".replaced-killed-dt=2025-04-02"));
    Files.createDirectories(ticks.resolve(".staging-killed/dt=2025-04-02/hour=00"));
    Files.writeString(ticks.resolve(".staging-killed/dt=2025-04-02/hour=00/part-x.parquet"), "x");

    CompactPartitions.repair(LakeConfig.at(lake.toString()), Dataset.TICKS);
    compact(Dataset.TICKS, plan(Dataset.TICKS, LATER));
    try (LakeReader reader = LakeReader.local(lake)) {
      assertEquals(new HashSet<>(before), new HashSet<>(reader.records(Dataset.TICKS)));
      assertEquals(2, reader.files(Dataset.TICKS).size());
    }
    try (Stream<Path> all = Files.list(ticks)) {
      // The stream writer's staging directory (.temp-WRITER, empty) stays; nothing of the swap does.
      assertEquals(
          List.of("dt=2025-04-01", "dt=2025-04-02"),
          all.map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith(".temp-"))
              .sorted()
              .toList());
    }
  }

  @Test
  void daysTooYoungOrNotCommittedAreLeftAlone() throws Exception {
    CompactionPlan young = plan(Dataset.BARS_1M, Instant.parse("2025-04-03T01:00:00Z"));
    assertEquals(List.of("dt=2025-04-01"), young.days());
    assertTrue(
        young.skipped().get("dt=2025-04-02").contains("younger"), young.skipped().toString());

    Files.delete(lake.resolve("bars_1m/dt=2025-04-01").resolve(SuccessMarker.NAME));
    CompactionPlan uncommitted = plan(Dataset.BARS_1M, LATER);
    assertEquals(List.of("dt=2025-04-02"), uncommitted.days());
    assertTrue(
        uncommitted.skipped().get("dt=2025-04-01").contains("not committed"),
        uncommitted.skipped().toString());
    compact(Dataset.BARS_1M, uncommitted);
    try (LakeReader reader = LakeReader.local(lake)) {
      List<String> files = reader.files(Dataset.BARS_1M);
      assertFalse(files.isEmpty());
      assertEquals(
          1, files.stream().filter(f -> f.startsWith("dt=2025-04-02/")).count(), files.toString());
      assertTrue(
          files.stream().filter(f -> f.startsWith("dt=2025-04-01/")).count() > 1,
          "the uncommitted day kept its files: " + files);
    }
  }
}
