package io.tickstream.pipeline.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.PartitionKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The catalog's DDL and Glue tables: the DDL as reviewed (a fixed expected file), and each
 * statement within Athena's documented rules for {@code CREATE EXTERNAL TABLE} and partition
 * projection, since no Hive DDL grammar is served here to parse it with.
 */
class LakeCatalogTest {
  private static final LakeCatalog CATALOG =
      LakeCatalog.of("s3://tickstream-lake/prod/", "tickstream", LocalDate.parse("2024-01-01"));

  /** Athena's DDL data types (docs: "Data types in Amazon Athena"), the scalar ones. */
  private static final Set<String> ATHENA_TYPES =
      Set.of(
          "boolean",
          "tinyint",
          "smallint",
          "int",
          "integer",
          "bigint",
          "double",
          "float",
          "string",
          "binary",
          "date",
          "timestamp");

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "CREATE EXTERNAL TABLE IF NOT EXISTS `([a-z0-9_]+)`\\.`([a-z0-9_]+)` \\(\\n"
              + "((?:  `[a-z0-9_]+` [a-z]+(?: COMMENT '(?:[^'\\\\]|\\\\.)*')?,?\\n)+)"
              + "\\)\\nCOMMENT '(?:[^'\\\\]|\\\\.)*'\\n"
              + "PARTITIONED BY \\(\\n"
              + "((?:  `[a-z0-9_]+` [a-z]+(?: COMMENT '(?:[^'\\\\]|\\\\.)*')?,?\\n)+)"
              + "\\)\\nSTORED AS PARQUET\\n"
              + "LOCATION '(s3://[^']+/)'\\n"
              + "TBLPROPERTIES \\(\\n"
              + "((?:  '[^']+'='[^']*',?\\n)+)"
              + "\\);\\n");

  private static final Pattern COLUMN = Pattern.compile("  `([a-z0-9_]+)` ([a-z]+)");
  private static final Pattern PROPERTY = Pattern.compile("  '([^']+)'='([^']*)'");

  @Test
  void theDdlIsTheReviewedOne() throws IOException {
    assertEquals(resource("athena-ddl.sql"), AthenaDdl.of(CATALOG));
  }

  @Test
  void everyStatementKeepsToAthenasRules() {
    String ddl = AthenaDdl.of(CATALOG);
    String[] statements = ddl.split("\n\n");
    assertEquals(1 + Dataset.all().size(), statements.length);
    assertTrue(
        statements[0].matches("CREATE DATABASE IF NOT EXISTS `tickstream`\\nCOMMENT '[^']*';"),
        statements[0]);
    List<String> tables = new ArrayList<>();
    for (int i = 1; i < statements.length; i++) {
      String statement = statements[i].endsWith("\n") ? statements[i] : statements[i] + "\n";
      Matcher m = CREATE_TABLE.matcher(statement);
      assertTrue(m.matches(), "not Athena's CREATE EXTERNAL TABLE form:\n" + statement);
      assertEquals("tickstream", m.group(1));
      Dataset<?> dataset = Dataset.named(m.group(2));
      tables.add(dataset.name());
      Map<String, String> data = columns(m.group(3));
      Map<String, String> partitions = columns(m.group(4));
      for (Map.Entry<String, String> c : data.entrySet()) {
        assertTrue(ATHENA_TYPES.contains(c.getValue()), c + " is not an Athena type");
      }
      assertEquals(
          dataset.partitionKeys().stream().map(PartitionKey::column).toList(),
          List.copyOf(partitions.keySet()));
      for (String p : partitions.keySet()) {
        assertTrue(!data.containsKey(p), p + " is both a column and a partition key");
      }
      String location = m.group(5);
      assertEquals("s3://tickstream-lake/prod/" + dataset.name() + "/", location);
      Map<String, String> props = properties(m.group(6));
      assertProjection(props, partitions, location);
      assertEquals("parquet", props.get("classification"));
    }
    assertEquals(Dataset.all().stream().map(Dataset::name).toList(), tables);
  }

  /**
   * Partition projection as Athena documents it: enabled, every partition key projected with the
   * properties its type requires, a template that names every key under the table's location.
   */
  private static void assertProjection(
      Map<String, String> props, Map<String, String> partitions, String location) {
    assertEquals("true", props.get("projection.enabled"));
    String template = props.get("storage.location.template");
    assertTrue(template.startsWith(location), template);
    for (Map.Entry<String, String> key : partitions.entrySet()) {
      String p = "projection." + key.getKey() + ".";
      String type = props.get(p + "type");
      assertTrue(template.contains(key.getKey() + "=${" + key.getKey() + "}"), template);
      switch (type) {
        case "date":
          assertEquals("string", key.getValue(), "a date projection's column is a string");
          assertEquals("yyyy-MM-dd", props.get(p + "format"));
          assertTrue(props.get(p + "range").matches("\\d{4}-\\d{2}-\\d{2},NOW"));
          assertEquals("1", props.get(p + "interval"));
          assertEquals("DAYS", props.get(p + "interval.unit"));
          break;
        case "integer":
          assertEquals("int", key.getValue());
          assertEquals("0,23", props.get(p + "range"));
          assertEquals("2", props.get(p + "digits"), "hour=05, not hour=5");
          break;
        default:
          throw new AssertionError(key + " has no projection type Athena knows: " + type);
      }
    }
    for (String prop : props.keySet()) {
      if (prop.startsWith("projection.") && !prop.equals("projection.enabled")) {
        String column = prop.split("\\.")[1];
        assertTrue(partitions.containsKey(column), prop + " projects no partition key");
      }
    }
  }

  @Test
  void glueTablesCarryTheParquetSerDeFormatsAndProjection() throws IOException {
    JsonNode all = new ObjectMapper().readTree(GlueTableInput.json(CATALOG.tables()));
    assertEquals(Dataset.all().size(), all.size());
    JsonNode ticks = all.get(0);
    assertEquals("ticks", ticks.get("Name").asText());
    assertEquals("EXTERNAL_TABLE", ticks.get("TableType").asText());
    assertEquals("TRUE", ticks.get("Parameters").get("EXTERNAL").asText());
    assertEquals("date", ticks.get("Parameters").get("projection.dt.type").asText());
    assertEquals(
        "s3://tickstream-lake/prod/ticks/dt=${dt}/hour=${hour}/",
        ticks.get("Parameters").get("storage.location.template").asText());
    JsonNode storage = ticks.get("StorageDescriptor");
    assertEquals("s3://tickstream-lake/prod/ticks/", storage.get("Location").asText());
    assertEquals(GlueTable.INPUT_FORMAT, storage.get("InputFormat").asText());
    assertEquals(GlueTable.OUTPUT_FORMAT, storage.get("OutputFormat").asText());
    assertEquals(
        GlueTable.SERIALIZATION_LIBRARY,
        storage.get("SerdeInfo").get("SerializationLibrary").asText());
    List<String> columns = new ArrayList<>();
    storage.get("Columns").forEach(c -> columns.add(c.get("Name") + ":" + c.get("Type")));
    assertEquals(
        LakeCatalog.columns(Dataset.TICKS).stream()
            .map(c -> "\"" + c.name() + "\":\"" + c.hiveType() + "\"")
            .toList(),
        columns);
    assertEquals("\"timestamp\"", storage.get("Columns").get(4).get("Type").toString());
    assertEquals(2, ticks.get("PartitionKeys").size());
  }

  @Test
  void onlyS3LakesAndGlueDatabaseNamesAreTaken() {
    LocalDate day = LocalDate.parse("2024-01-01");
    assertThrows(IllegalArgumentException.class, () -> LakeCatalog.of("./lake", "tickstream", day));
    assertThrows(
        IllegalArgumentException.class, () -> LakeCatalog.of("s3://b-ok/x", "Tick-Stream", day));
    assertEquals("s3://b-ok/x", LakeCatalog.of("s3://b-ok/x//", "t", day).root());
  }

  private static Map<String, String> columns(String block) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String line : block.split("\n")) {
      Matcher m = COLUMN.matcher(line);
      assertTrue(m.lookingAt(), line);
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static Map<String, String> properties(String block) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String line : block.split("\n")) {
      Matcher m = PROPERTY.matcher(line);
      assertTrue(m.lookingAt(), line);
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LakeCatalogTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
