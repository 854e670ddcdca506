package io.tickstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One code path for live and historical data: a seeded generator stream (disorder within the max
 * out-of-orderness, resends, malformed records) run by the streaming job, and the same records as
 * landing JSON backfilled into a second lake, give the same bars, signals, positions and trades,
 * row for row; and a backfill of one day, warmed up from the day before, gives that day as a
 * backfill of both days does.
 */
class StreamEqualsBatchTest {
  private static final Simulation SIMULATION =
      Simulation.builder()
          .setFirstSymbols(5)
          .setSeed(23)
          .setStartMillis(Instant.parse("2025-03-04T22:30:00Z").toEpochMilli())
          .setDuration(Duration.ofMinutes(90))
          .setSpeed(Double.POSITIVE_INFINITY)
          .setFaults(new FaultConfig(0.01, 0.02, Duration.ofSeconds(20), 0, Duration.ZERO))
          .build();

  private static final StrategyConfig STRATEGY = new StrategyConfig(3, 8, 10_000, 5);

  private static final List<Dataset<?>> COMPUTED =
      List.of(Dataset.BARS_1M, Dataset.SIGNALS, Dataset.POSITIONS, Dataset.TRADES);

  @TempDir Path tmp;

  @Test
  void theStreamAndTheBackfillOfItsLandingDataAgreeRowForRow() throws Exception {
    Path streamLake = tmp.resolve("stream-lake");
    PipelineOptions streaming = PipelineOptionsFactory.fromArgs("--streaming=true").create();
    streaming.setRunner(DirectRunner.class);
    streaming.as(DirectOptions.class).setTargetParallelism(1);
    StreamConfig stream =
        StreamConfig.builder()
            .setSource(SourceSpec.parse("generator"))
            .setGenerator(
                GeneratorSourceConfig.of(SIMULATION)
                    .withSplits(1)
                    .withMaxOutOfOrderness(Duration.ofSeconds(30)))
            .setStrategy(STRATEGY)
            .setLake(LakeConfig.at(streamLake.toString()))
            .build();
    assertEquals(
        PipelineResult.State.DONE, StreamingPipeline.run(streaming, stream).waitUntilFinish());

    List<Emission> records = LandingFiles.emissions(SIMULATION);
    assertTrue(records.stream().anyMatch(Emission::duplicate));
    assertTrue(records.stream().anyMatch(e -> e.badKind() != null));
    Path batchLake = tmp.resolve("batch-lake");
    BackfillPipelineTest.run(
        BackfillConfig.builder()
            .setInput(LandingFiles.firehose(records, tmp.resolve("landing")))
            .setStrategy(STRATEGY)
            .setLake(LakeConfig.at(batchLake.toString()))
            .setRunId("streamEqualsBatch")
            .build());

    try (LakeReader fromStream = LakeReader.local(streamLake);
        LakeReader fromBatch = LakeReader.local(batchLake)) {
      for (Dataset<?> dataset : COMPUTED) {
        List<?> expected = fromStream.records(dataset);
        assertFalse(expected.isEmpty(), dataset + " is empty");
        assertEquals(expected, fromBatch.records(dataset), dataset.name());
      }
      assertEquals(fromStream.records(Dataset.TICKS), fromBatch.records(Dataset.TICKS));
      assertEquals(payloads(fromStream), payloads(fromBatch), "the same records were dead letters");
    }
  }

  @Test
  void aDayWarmedUpFromTheDayBeforeIsTheDayOfALongerBackfill() throws Exception {
    Simulation twoDays =
        SIMULATION.toBuilder()
            .setStartMillis(Instant.parse("2025-03-04T00:00:00Z").toEpochMilli())
            .setDuration(Duration.ofHours(36))
            .setTicksPerMinute(6)
            .build();
    String landing = LandingFiles.firehose(LandingFiles.emissions(twoDays), tmp.resolve("two"));
    LocalDate day = LocalDate.parse("2025-03-05");
    Path both = tmp.resolve("both-days");
    Path one = tmp.resolve("one-day");
    BackfillConfig.Builder config =
        BackfillConfig.builder().setInput(landing).setStrategy(STRATEGY).setRunId("warmUp");
    BackfillPipelineTest.run(
        config
            .setLake(LakeConfig.at(both.toString()))
            .setFrom(day.minusDays(1))
            .setTo(day)
            .build());
    BackfillPipelineTest.run(
        config.setLake(LakeConfig.at(one.toString())).setFrom(day).setTo(day).build());
    try (LakeReader a = LakeReader.local(both);
        LakeReader b = LakeReader.local(one)) {
      for (Dataset<?> dataset : COMPUTED) {
        List<?> expected = onDay(a, dataset, day);
        assertFalse(expected.isEmpty(), dataset + " is empty on " + day);
        assertEquals(expected, b.records(dataset), dataset.name());
      }
      assertEquals(List.of("dt=" + day), partitions(b, Dataset.BARS_1M), "only the day is written");
    }
  }

  private static <T> List<T> onDay(LakeReader reader, Dataset<T> dataset, LocalDate day) {
    return reader.records(dataset).stream()
        .filter(r -> dataset.partitionPath(r).startsWith("dt=" + day))
        .toList();
  }

  private static List<String> partitions(LakeReader reader, Dataset<?> dataset) {
    return reader.files(dataset).stream()
        .map(f -> f.substring(0, f.indexOf('/')))
        .distinct()
        .toList();
  }

  private static Set<String> payloads(LakeReader reader) {
    Set<String> out = new HashSet<>();
    reader.records(Dataset.DEAD_LETTER).forEach(d -> out.add(d.getErrorCode() + d.getPayload()));
    return out;
  }
}
