package io.tickstream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.tick.Tick;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class DatasetTest {
  @Test
  void registryNamesEveryDatasetWithItsPartitioning() {
    Map<String, String> layout =
        Dataset.all().stream()
            .collect(
                Collectors.toMap(
                    Dataset::name,
                    d ->
                        d.partitionKeys().stream()
                                .map(PartitionKey::column)
                                .collect(Collectors.joining("/"))
                            + " by "
                            + d.partitionField()));
    assertEquals(
        Map.of(
            "ticks", "dt/hour by timestamp",
            "bars_1m", "dt by window_start",
            "signals", "dt by ts",
            "positions", "dt by as_of",
            "trades", "dt by exit_time",
            "dead_letter", "dt by event_time"),
        layout);
    assertEquals(6, Dataset.all().size());
    assertSame(Dataset.BARS_1M, Dataset.named("bars_1m"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dataset.named("quotes"));
    assertTrue(e.getMessage().contains("bars_1m"), e.getMessage());
  }

  @Test
  void schemaIsTheRecordClassesBeamSchemaInSnakeCase() {
    assertEquals(
        List.of("event_id", "symbol", "price", "volume", "timestamp", "market_cap", "pe_ratio"),
        Dataset.TICKS.schema().getFieldNames());
    assertTrue(Dataset.TICKS.schema().getField("market_cap").getType().getNullable());
    assertEquals(Schema.FieldType.DATETIME, Dataset.TICKS.schema().getField("timestamp").getType());
    for (Dataset<?> dataset : Dataset.all()) {
      for (String field : dataset.schema().getFieldNames()) {
        assertTrue(field.matches("[a-z][a-z0-9_]*"), dataset + "." + field);
      }
    }
  }

  /**
   * Every dataset's columns, in order, with their types, as in {@code datasets/schemas.txt}: the
   * lake's files, and the catalogs made from the same schemas, must not change under a reader.
   */
  @Test
  void columnsStayAsWritten() throws Exception {
    StringBuilder actual = new StringBuilder();
    for (Dataset<?> dataset : Dataset.all()) {
      actual.append(dataset.name()).append('\n');
      for (Schema.Field field : dataset.schema().getFields()) {
        actual
            .append("  ")
            .append(field.getName())
            .append(' ')
            .append(field.getType().getTypeName())
            .append(field.getType().getNullable() ? " NULL" : "")
            .append('\n');
      }
    }
    String expected =
        new String(
            DatasetTest.class.getResourceAsStream("/datasets/schemas.txt").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(expected, actual.toString());
  }

  @Test
  void partitionPathIsTheUtcDateAndHourOfThePartitionField() {
    Tick tick =
        Tick.create("A-1", "A", 1, 1, Instant.parse("2025-01-02T23:59:59.999Z"), null, null);
    assertEquals("dt=2025-01-02/hour=23", Dataset.TICKS.partitionPath(tick));
    assertEquals(
        "dt=2025-01-03/hour=00",
        Dataset.TICKS.partitionPath(Instant.parse("2025-01-03T00:00:00Z")));

    Trade overnight =
        Trade.create(
            "A-1",
            "A",
            "s",
            1,
            Instant.parse("2025-01-02T23:00:00Z"),
            1,
            Instant.parse("2025-01-03T01:00:00Z"),
            1,
            0,
            0,
            7200);
    assertEquals(Instant.parse("2025-01-03T01:00:00Z"), Dataset.TRADES.partitionTime(overnight));
    assertEquals("dt=2025-01-03", Dataset.TRADES.partitionPath(overnight));
  }

  @Test
  void avroSchemaHasUtcMillisTimestampsAndNullableUnions() {
    for (Dataset<?> dataset : Dataset.all()) {
      org.apache.avro.Schema avro = dataset.avroSchema();
      assertEquals(dataset.name(), avro.getName());
      assertEquals(Dataset.AVRO_NAMESPACE, avro.getNamespace());
      assertEquals(
          dataset.schema().getFieldNames(),
          avro.getFields().stream().map(org.apache.avro.Schema.Field::name).toList());
      for (Schema.Field field : dataset.schema().getFields()) {
        org.apache.avro.Schema type = avro.getField(field.getName()).schema();
        if (field.getType().getNullable()) {
          assertEquals(org.apache.avro.Schema.Type.UNION, type.getType(), field.getName());
          assertEquals(org.apache.avro.Schema.Type.NULL, type.getTypes().get(0).getType());
          type = type.getTypes().get(1);
        } else {
          assertTrue(type.getType() != org.apache.avro.Schema.Type.UNION, field.getName());
        }
        if (field.getType().getTypeName() == Schema.TypeName.DATETIME) {
          assertEquals(org.apache.avro.Schema.Type.LONG, type.getType());
          assertEquals(LogicalTypes.timestampMillis(), type.getLogicalType(), field.getName());
        }
      }
    }
  }

  @Test
  void deserializesToTheSameConstant() {
    for (Dataset<?> dataset : Dataset.all()) {
      assertSame(dataset, SerializableUtils.clone(dataset));
    }
  }

  @Test
  void columnsReadWhatARowOfTheRecordHolds() {
    for (Dataset<?> dataset : Dataset.all()) {
      assertColumnsMatchRows(dataset);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void assertColumnsMatchRows(Dataset<T> dataset) {
    List<T> records = (List<T>) LakeRecords.expected(dataset);
    assertTrue(!records.isEmpty(), dataset.name());
    for (T record : records) {
      Row row = dataset.toRowFunction().apply(record);
      for (int i = 0; i < dataset.schema().getFieldCount(); i++) {
        assertEquals(row.getValue(i), dataset.column(record, i), dataset.name() + " column " + i);
      }
    }
  }

  @Test
  void tagIsNamedAfterTheDataset() {
    assertEquals("signals", Dataset.SIGNALS.tag().getId());
    assertEquals(Dataset.SIGNALS.tag(), Dataset.SIGNALS.tag());
  }
}
