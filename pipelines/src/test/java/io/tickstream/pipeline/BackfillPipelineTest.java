package io.tickstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.io.TickFileFormat;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.pipeline.sink.datalake.SuccessMarker;
import io.tickstream.pipeline.transforms.StrategyConfig;
import io.tickstream.tick.Tick;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
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
 * Backfills of landing files on the DirectRunner: whole sorted partitions with markers, every input
 * format, the same lake on a rerun, replacement of exactly the days produced.
 */
class BackfillPipelineTest {
  /** Four symbols over midnight, two hours, with bad records, resends and disorder. */
  static final Simulation SIMULATION =
      Simulation.builder()
          .setFirstSymbols(4)
          .setSeed(11)
          .setStartMillis(Instant.parse("2025-01-02T23:00:00Z").toEpochMilli())
          .setDuration(Duration.ofHours(2))
          .setSpeed(Double.POSITIVE_INFINITY)
          .setFaults(new FaultConfig(0.01, 0.01, Duration.ofSeconds(10), 0, Duration.ZERO))
          .build();

  static final StrategyConfig STRATEGY = new StrategyConfig(3, 8, 10_000, 0);

  @TempDir static Path tmp;

  static List<Emission> records;
  static String firehose;

  @BeforeAll
  static void landing() throws IOException {
    records = LandingFiles.emissions(SIMULATION);
    firehose = LandingFiles.firehose(records, tmp.resolve("landing"));
  }

  static BackfillConfig.Builder backfill(String input, Path lake) {
    return BackfillConfig.builder()
        .setInput(input)
        .setStrategy(STRATEGY)
        .setLake(LakeConfig.at(lake.toString()))
        .setRunId("test1");
  }

  static PipelineResult run(BackfillConfig config) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    PipelineResult result = BackfillPipeline.run(options, config);
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    return result;
  }

  @Test
  void writesEachPartitionOnceSortedWithItsMarker() throws Exception {
    Path lake = tmp.resolve("sorted");
    PipelineResult result = run(backfill(firehose, lake).build());

    long unique = PipelineMetrics.sum(result, PipelineMetrics.TICKS_UNIQUE);
    long read = PipelineMetrics.sum(result, PipelineMetrics.RECORDS_READ);
    assertEquals(records.size(), read);
    assertEquals(
        read,
        PipelineMetrics.sum(result, PipelineMetrics.TICKS_VALID)
            + PipelineMetrics.sum(result, PipelineMetrics.DEAD_LETTERS));
    try (LakeReader reader = LakeReader.local(lake)) {
      List<String> files = reader.files(Dataset.TICKS);
      // Two hours over midnight: 23:00 on the 2nd and 00:00 on the 3rd, one file each.
      assertEquals(
          List.of(
              "dt=2025-01-02/hour=23/part-00000-00000.parquet",
              "dt=2025-01-03/hour=00/part-00000-00000.parquet"),
          files);
      List<Tick> ticks = reader.records(Dataset.TICKS);
      assertEquals(unique, ticks.size());
      assertTrue(reader.files(Dataset.BARS_1M).size() == 2);
      for (Dataset<?> dataset : Dataset.all()) {
        Path dir = lake.resolve(dataset.name());
        for (Path marker : markers(dir)) {
          SuccessMarker m = SuccessMarker.parse(Files.readAllBytes(marker), marker.toString());
          String partition = dir.relativize(marker.getParent()).toString();
          assertEquals(partition, m.partition());
          assertEquals(
              reader.count(dataset, partition), m.rows(), dataset + "/" + partition + " rows");
        }
        try (Stream<Path> all = Files.walk(dir)) {
          assertTrue(
              all.noneMatch(p -> p.getFileName().toString().startsWith(".")),
              "nothing staged is left in " + dir);
        }
      }
      assertEquals(2, markers(lake.resolve("ticks")).size());
      assertEquals(
          2, markers(lake.resolve("trades")).size(), "a day without trades is committed too");
    }
    // In each file, by symbol, then time.
    try (LakeReader reader = LakeReader.local(lake)) {
      List<List<Object>> rows = reader.inFileOrder(Dataset.TICKS, "symbol", "timestamp");
      assertEquals(unique, rows.size());
      for (int i = 1; i < rows.size(); i++) {
        List<Object> a = rows.get(i - 1);
        List<Object> b = rows.get(i);
        if (!a.get(0).equals(b.get(0))) {
          continue;
        }
        int bySymbol = ((String) a.get(1)).compareTo((String) b.get(1));
        assertTrue(
            bySymbol < 0 || (bySymbol == 0 && !((Instant) a.get(2)).isAfter((Instant) b.get(2))),
            "out of order: " + a + " then " + b);
      }
    }
  }

  @Test
  void flinkInBatchModeWritesTheDirectRunnersLake() throws Exception {
    Path direct = tmp.resolve("on-direct");
    Path flink = tmp.resolve("on-flink");
    run(backfill(firehose, direct).build());
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(FlinkRunner.class);
    FlinkPipelineOptions f = options.as(FlinkPipelineOptions.class);
    f.setFlinkMaster("[local]");
    f.setParallelism(2);
    f.setObjectReuse(true);
    PipelineResult result = BackfillPipeline.run(options, backfill(firehose, flink).build());
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    Map<String, byte[]> a = contents(direct);
    Map<String, byte[]> b = contents(flink);
    assertEquals(a.keySet(), b.keySet());
    for (String file : a.keySet()) {
      if (!file.startsWith(Dataset.DEAD_LETTER.name() + "/")) {
        if (file.endsWith(SuccessMarker.NAME)) {
          assertEquals(
              new String(a.get(file), StandardCharsets.UTF_8),
              new String(b.get(file), StandardCharsets.UTF_8),
              file + " differs");
        }
        assertTrue(java.util.Arrays.equals(a.get(file), b.get(file)), file + " differs");
      }
    }
    assertEquals(deadLettersButWhenReceived(direct), deadLettersButWhenReceived(flink));
  }

  @Test
  void aRerunLeavesTheSameLake() throws Exception {
    Path lake = tmp.resolve("rerun");
    run(backfill(firehose, lake).build());
    Map<String, byte[]> first = contents(lake);
    List<String> firstDeadLetters = deadLettersButWhenReceived(lake);
    run(backfill(firehose, lake).setRunId("test2").build());
    Map<String, byte[]> second = contents(lake);
    assertEquals(firstDeadLetters, deadLettersButWhenReceived(lake));
    assertEquals(first.keySet(), second.keySet());
    for (String file : first.keySet()) {
      // A dead letter records when the run received it: the one thing a rerun changes.
      if (!file.startsWith(Dataset.DEAD_LETTER.name() + "/")) {
        assertTrue(java.util.Arrays.equals(first.get(file), second.get(file)), file + " changed");
      }
    }
  }

  @Test
  void replacesTheDaysItProducesAndNoOther() throws Exception {
    Path lake = tmp.resolve("replace");
    Path stale = lake.resolve("ticks/dt=2025-01-02/hour=05/part-old.parquet");
    Path otherDay = lake.resolve("ticks/dt=2025-01-01/hour=10/part-old.parquet");
    Path staleBars = lake.resolve("bars_1m/dt=2025-01-03/part-old.parquet");
    for (Path p : List.of(stale, otherDay, staleBars)) {
      Files.createDirectories(p.getParent());
      Files.writeString(p, "old");
    }
    run(backfill(firehose, lake).build());
    assertFalse(Files.exists(stale.getParent()), "a day produced is replaced whole");
    assertFalse(Files.exists(staleBars));
    assertTrue(Files.exists(otherDay), "a day not produced is left alone");
  }

  @Test
  void oneObjectPerFileGivesTheSameLake() throws Exception {
    List<Emission> firstThousand = records.subList(0, 1_000);
    Path lines = tmp.resolve("few-lines");
    Path objects = tmp.resolve("few-objects");
    run(backfill(LandingFiles.firehose(firstThousand, lines), tmp.resolve("lake-lines")).build());
    PipelineResult result =
        run(
            backfill(
                    LandingFiles.oneObjectPerFile(firstThousand, objects),
                    tmp.resolve("lake-objects"))
                .setFormat(TickFileFormat.JSON_PER_FILE)
                .build());
    assertEquals(1_000, PipelineMetrics.sum(result, PipelineMetrics.RECORDS_READ));
    try (LakeReader a = LakeReader.local(tmp.resolve("lake-lines"));
        LakeReader b = LakeReader.local(tmp.resolve("lake-objects"))) {
      for (Dataset<?> dataset : List.of(Dataset.TICKS, Dataset.BARS_1M, Dataset.SIGNALS)) {
        assertEquals(
            new java.util.HashSet<>(a.records(dataset)),
            new java.util.HashSet<>(b.records(dataset)),
            dataset.name());
      }
      assertEquals(a.records(Dataset.DEAD_LETTER).size(), b.records(Dataset.DEAD_LETTER).size());
    }
  }

  @Test
  void csvPriceHistoryIsReplayedIntoTheLake() throws Exception {
    Path csv = tmp.resolve("csv/prices.csv");
    Files.createDirectories(csv.getParent());
    StringBuilder rows = new StringBuilder("Index,Date,Open,High,Low,Close,Adj Close,Volume\n");
    for (int day = 0; day < 30; day++) {
      String date = LocalDate.of(2024, 1, 1).plusDays(day).toString();
      rows.append("HSI,").append(date).append(",1,1,1,").append(100 + day).append(",0,10\n");
    }
    rows.append("HSI,2024-02-15,1,1,1,not-a-price,0,10\n");
    Files.writeString(csv, rows);
    Path lake = tmp.resolve("lake-csv");
    PipelineResult result =
        run(backfill(csv.toString(), lake).setFormat(TickFileFormat.CSV).build());
    assertEquals(31, PipelineMetrics.sum(result, PipelineMetrics.RECORDS_READ));
    try (LakeReader reader = LakeReader.local(lake)) {
      assertEquals(30, reader.records(Dataset.TICKS).size());
      assertEquals(30, reader.records(Dataset.BARS_1M).size(), "a bar a day");
      assertEquals(1, reader.records(Dataset.DEAD_LETTER).size());
      assertTrue(reader.records(Dataset.DEAD_LETTER).get(0).getPayload().contains("not-a-price"));
    }
  }

  private static List<String> deadLettersButWhenReceived(Path lake) throws Exception {
    try (LakeReader reader = LakeReader.local(lake)) {
      return reader.records(Dataset.DEAD_LETTER).stream()
          .map(
              d ->
                  String.join(
                      " ",
                      d.getEventTime().toString(),
                      d.getSource(),
                      d.getPosition(),
                      d.getErrorCode(),
                      d.getPayload()))
          .sorted()
          .toList();
    }
  }

  private static List<Path> markers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().equals(SuccessMarker.NAME))
          .sorted()
          .toList();
    }
  }

  private static Map<String, byte[]> contents(Path lake) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(lake)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        out.put(lake.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
