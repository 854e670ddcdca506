package io.tickstream.pipeline.sink.datalake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.LakeRecords;
import io.tickstream.pipeline.model.PartitionKey;
import io.tickstream.pipeline.model.Trade;
import io.tickstream.tick.Tick;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded writes of every dataset into a local lake, read back with DuckDB. */
class WriteLakeTest {
  private static final Pattern FILE_NAME =
      Pattern.compile(
          "dt=\\d{4}-\\d{2}-\\d{2}(/hour=\\d{2})?"
              + "/part-\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z-pane0-\\d{5}-of-\\d{5}\\.parquet");

  @TempDir Path lake;

  @Test
  void writesEveryDatasetOnceAsSnakeCaseParquetInUtcPartitions() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    LakeRecords.allDatasets(p).apply("WriteLake", WriteLake.to(LakeConfig.at(lake.toString())));
    p.run().waitUntilFinish();

    try (LakeReader reader = LakeReader.local(lake)) {
      for (Dataset<?> dataset : Dataset.all()) {
        assertThat(
            dataset.name(),
            reader.records(dataset),
            containsInAnyOrder(LakeRecords.expected(dataset).toArray()));

        Map<String, String> expectedTypes = new LinkedHashMap<>();
        for (Schema.Field field : dataset.schema().getFields()) {
          assertTrue(field.getName().matches("[a-z][a-z0-9_]*"), field.getName());
          if (field.getType().getTypeName() == Schema.TypeName.DATETIME) {
            expectedTypes.put(field.getName(), "TIMESTAMP WITH TIME ZONE");
          } else {
            expectedTypes.put(field.getName(), reader.columnTypes(dataset).get(field.getName()));
          }
        }
        expectedTypes.put("dt", "DATE");
        if (dataset.partitionKeys().contains(PartitionKey.HOUR)) {
          expectedTypes.put("hour", "INTEGER");
        }
        assertEquals(expectedTypes, reader.columnTypes(dataset), dataset.name());

        // In the files: INT64 timestamps in milliseconds, adjusted to UTC.
        Map<String, String> timestampTypes = reader.timestampLogicalTypes(dataset);
        assertEquals(
            dataset.schema().getFields().stream()
                .filter(f -> f.getType().getTypeName() == Schema.TypeName.DATETIME)
                .map(Schema.Field::getName)
                .collect(Collectors.toSet()),
            timestampTypes.keySet());
        timestampTypes.forEach(
            (column, type) ->
                assertTrue(
                    type.startsWith("TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS="),
                    column + ": " + type));

        for (Map<String, Object> row : reader.rows(dataset)) {
          java.time.Instant time = (java.time.Instant) row.get(dataset.partitionField());
          assertEquals(LocalDate.ofInstant(time, ZoneOffset.UTC), row.get("dt"), row.toString());
          if (dataset.partitionKeys().contains(PartitionKey.HOUR)) {
            assertEquals(time.atZone(ZoneOffset.UTC).getHour(), row.get("hour"));
          }
        }

        for (String file : reader.files(dataset)) {
          assertTrue(FILE_NAME.matcher(file).matches(), file);
        }
        assertEquals(Set.of("SNAPPY"), reader.compressionCodecs(dataset), dataset.name());
      }

      // Trades are partitioned by exit date: the overnight trade is on the 3rd, not the 2nd.
      Map<String, Object> overnight =
          reader.rows(Dataset.TRADES).stream()
              .filter(r -> r.get("trade_id").equals("AAPL-1735835460000"))
              .findFirst()
              .orElseThrow();
      assertEquals(LocalDate.parse("2025-01-03"), overnight.get("dt"));

      // Ticks: hour partitions, and the last millisecond of an hour stays in that hour.
      assertEquals(
          List.of(
              "dt=2025-01-02/hour=14/part-20250102T140000Z-20250102T140100Z-pane0-00000-of-00001.parquet",
              "dt=2025-01-02/hour=14/part-20250102T145900Z-20250102T150000Z-pane0-00000-of-00001.parquet",
              "dt=2025-01-02/hour=15/part-20250102T150000Z-20250102T150100Z-pane0-00000-of-00001.parquet",
              "dt=2025-01-03/hour=00/part-20250103T000000Z-20250103T000100Z-pane0-00000-of-00001.parquet"),
          reader.files(Dataset.TICKS));

      // Timestamps are UTC instants to the millisecond.
      assertEquals(
          java.time.Instant.parse("2025-01-02T14:59:59.999Z"),
          reader.rows(Dataset.TICKS).stream()
              .filter(r -> r.get("event_id").equals("AAPL-2"))
              .findFirst()
              .orElseThrow()
              .get("timestamp"));
    }
  }

  @Test
  void rerunOverwritesTheSameFilesInsteadOfAddingDuplicates() throws Exception {
    LakeConfig config = LakeConfig.at(lake.toString()).withShards(2);
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ticks.add(
          Tick.create(
              "AAPL-" + i,
              "AAPL",
              180 + i,
              i,
              Instant.parse("2025-01-02T14:00:00Z").plus(i * 3_000L),
              null,
              null));
    }

    writeTicks(config, ticks);
    List<String> first = allFiles(lake);
    writeTicks(config, ticks);
    List<String> second = allFiles(lake);

    assertEquals(first, second);
    // 40 ticks 3 s apart span two one-minute windows; both shards of each are used.
    assertEquals(4, first.size(), first.toString());
    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(reader.records(Dataset.TICKS), containsInAnyOrder(ticks.toArray()));
    }
  }

  @Test
  void writesOnlyTheDatasetsInTheInput() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollectionTuple.of(
            Dataset.TRADES.tag(), LakeRecords.create(p, Dataset.TRADES, LakeRecords.trades()))
        .apply("WriteLake", WriteLake.to(LakeConfig.at(lake.toString())));
    p.run().waitUntilFinish();

    try (Stream<Path> dirs = Files.list(lake)) {
      assertEquals(
          List.of("trades"),
          dirs.map(d -> d.getFileName().toString()).sorted().collect(Collectors.toList()));
    }
    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(
          reader.records(Dataset.TRADES),
          containsInAnyOrder(LakeRecords.trades().toArray(new Trade[0])));
    }
  }

  @Test
  void writesADatasetThatComesAsBatchesAsItWritesItsRecords() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    List<Tick> ticks = LakeRecords.ticks();
    // Two batches, each stamped with its earliest tick's time; the second spans two days.
    PCollection<List<Tick>> batches =
        p.apply(
            Create.timestamped(
                    TimestampedValue.of(ticks.subList(0, 2), ticks.get(0).getTimestamp()),
                    TimestampedValue.of(ticks.subList(2, 4), ticks.get(2).getTimestamp()))
                .withCoder(ListCoder.of(LakeRecords.coder(p, Dataset.TICKS))));
    PCollectionTuple.of(Dataset.TICKS.batchesTag(), batches)
        .apply("WriteLake", WriteLake.to(LakeConfig.at(lake.toString())));
    p.run().waitUntilFinish();

    try (LakeReader reader = LakeReader.local(lake)) {
      assertThat(reader.records(Dataset.TICKS), containsInAnyOrder(ticks.toArray()));
    }
  }

  @Test
  void rejectsADatasetAsRecordsAndAsBatches() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple input =
        PCollectionTuple.of(
                Dataset.TICKS.tag(), LakeRecords.create(p, Dataset.TICKS, LakeRecords.ticks()))
            .and(
                Dataset.TICKS.batchesTag(),
                p.apply(
                    "Batches",
                    Create.of(List.of(LakeRecords.ticks()))
                        .withCoder(ListCoder.of(LakeRecords.coder(p, Dataset.TICKS)))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> input.apply(WriteLake.to(LakeConfig.at(lake.toString()))));
    assertTrue(e.getMessage().contains("both as records and as batches"), e.getMessage());
  }

  @Test
  void rejectsAnInputHoldingNoDataset() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple input =
        PCollectionTuple.of(new TupleTag<String>("quotes"), p.apply(Create.of("x")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> input.apply(WriteLake.to(LakeConfig.at(lake.toString()))));
    assertTrue(e.getMessage().contains("[quotes]"), e.getMessage());
  }

  private void writeTicks(LakeConfig config, List<Tick> ticks) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    LakeRecords.create(p, Dataset.TICKS, ticks)
        .apply("WriteTicks", WriteDataset.of(Dataset.TICKS, config));
    p.run().waitUntilFinish();
  }

  /** Every file under {@code root}, hidden ones and Beam's temporary ones included. */
  private static List<String> allFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
