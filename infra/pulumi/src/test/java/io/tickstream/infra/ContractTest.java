package io.tickstream.infra;

import static io.tickstream.infra.Stack.optional;
import static io.tickstream.infra.Stack.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.aws.athena.NamedQuery;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ecs.TaskDefinition;
import com.pulumi.aws.glue.CatalogTable;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.test.PulumiTest;
import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.cli.EnvironmentDefaults;
import io.tickstream.generator.cli.GenerateCommand;
import io.tickstream.generator.cli.GeneratorMain;
import io.tickstream.generator.sink.SinkSpec;
import io.tickstream.pipeline.catalog.ColumnType;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.PartitionKey;
import io.tickstream.pipeline.sink.cloudwatch.CloudWatchNamespace;
import io.tickstream.pipeline.sink.cloudwatch.PublishDeadLetterCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the stack declares equals what the rest of the project defines: Glue tables and the
 * datasets' Beam schemas, named queries and the shipped .sql files, the producer's environment and
 * the generator's options, the dead-letter alarm and the metric the streaming job sends.
 */
class ContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void cleanup() {
    PulumiTest.cleanup();
  }

  @Test
  void eachGlueTableHasItsDatasetsColumnsAndPartitionKeys() {
    Stack stack = Stack.standard();
    String lake = value(stack.named(BucketV2.class, "lake-lake").bucket());
    Map<String, CatalogTable> tables = new TreeMap<>();
    stack.all(CatalogTable.class).forEach(t -> tables.put(value(t.name()), t));
    assertEquals(
        Dataset.all().stream().map(Dataset::name).collect(Collectors.toSet()), tables.keySet());
    for (Dataset<?> dataset : Dataset.all()) {
      CatalogTable table = tables.get(dataset.name());
      var storage = optional(table.storageDescriptor());
      // Expected straight from the Beam schema, not through the catalog code under test.
      List<String> expectedColumns =
          dataset.schema().getFields().stream()
              .map(f -> f.getName() + " " + ColumnType.of(f.getType()).hive())
              .toList();
      List<String> columns =
          storage.columns().stream().map(c -> c.name() + " " + c.type().orElseThrow()).toList();
      assertEquals(expectedColumns, columns, dataset.name() + " columns");
      List<String> expectedKeys =
          dataset.partitionKeys().stream()
              .map(k -> k.column() + " " + ColumnType.of(k).hive())
              .toList();
      List<String> keys =
          optional(table.partitionKeys()).stream()
              .map(k -> k.name() + " " + k.type().orElseThrow())
              .toList();
      assertEquals(expectedKeys, keys, dataset.name() + " partition keys");
      assertEquals(
          "s3://" + lake + "/lake/" + dataset.name() + "/", storage.location().orElseThrow());
      Map<String, String> parameters = optional(table.parameters());
      assertEquals("true", parameters.get("projection.enabled"), dataset.name());
      for (PartitionKey key : dataset.partitionKeys()) {
        assertTrue(parameters.containsKey("projection." + key.column() + ".type"), dataset.name());
      }
    }
  }

  @Test
  void theNamedQueriesAreExactlyTheShippedSqlFiles() throws Exception {
    Path dir = Path.of(System.getProperty("tickstream.sqlDir", "../../pipelines/src/main/sql"));
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> sql = Files.list(dir)) {
      for (Path file : sql.filter(p -> p.toString().endsWith(".sql")).toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
        files.put(name, Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    assertTrue(files.size() >= 7, "shipped queries found in " + dir + ": " + files.keySet());
    Stack stack = Stack.standard();
    Map<String, String> queries = new TreeMap<>();
    for (NamedQuery q : stack.all(NamedQuery.class)) {
      queries.put(value(q.name()), value(q.query()));
    }
    assertEquals(files, queries);
  }

  @Test
  void theProducersEnvironmentNamesOnlyGeneratorFlags() throws Exception {
    assertEnvironmentIsTheGenerators(Stack.standard());
  }

  @Test
  void theDevStackExamplesEnvironmentIsTheGeneratorsToo() throws Exception {
    Map<String, String> settings = DevStack.settings();
    assertTrue(settings.containsKey("tickstream:generator"), settings.toString());
    assertEnvironmentIsTheGenerators(Stack.of(settings));
  }

  @Test
  void theDeadLetterAlarmWatchesWhatTheStreamingJobSendsWhereItMaySendIt() throws Exception {
    Stack stack = Stack.standard();
    String namespace = (String) value(stack.result.outputs().get("deadLetterMetricsNamespace"));
    // The job takes the output as its --dead-letter-metrics-namespace.
    assertEquals(namespace, CloudWatchNamespace.check(namespace));
    MetricAlarm alarm =
        stack
            .all(MetricAlarm.class)
            .stream()
            .filter(a -> PublishDeadLetterCounts.METRIC_NAME.equals(optional(a.metricName())))
            .findFirst()
            .orElseThrow();
    assertEquals(namespace, optional(alarm.namespace()));
    // The total is the count the job sends without a dimension.
    Map<String, String> dimensions = optional(alarm.dimensions());
    assertTrue(dimensions == null || dimensions.isEmpty(), String.valueOf(dimensions));
    assertEquals("Sum", optional(alarm.statistic()));

    JsonNode nodes =
        JSON.readTree(value(stack.named(RolePolicy.class, "processing-emr-node-policy").policy()));
    JsonNode put = null;
    for (JsonNode statement : nodes.get("Statement")) {
      if (statement.get("Action").toString().contains("cloudwatch:PutMetricData")) {
        put = statement;
      }
    }
    assertTrue(put != null, "the cluster's nodes may put metrics: " + nodes);
    assertEquals(
        namespace, put.at("/Condition/StringEquals/cloudwatch:namespace").asText(), put.toString());
    assertTrue(
        stack
            .all(VpcEndpoint.class)
            .stream()
            .anyMatch(e -> optional(e.serviceName()).endsWith(".monitoring")),
        "CloudWatch is reachable from the private subnets");
  }

  @Test
  void aMisspelledGeneratorFlagBreaksTheContract() throws Exception {
    Map<String, String> settings = Stack.standardSettings();
    settings.put("tickstream:generator", "{\"tick-per-minute\": 60}");
    Stack stack = Stack.of(settings);
    AssertionError e =
        assertThrows(AssertionError.class, () -> assertEnvironmentIsTheGenerators(stack));
    assertTrue(e.getMessage().contains("TICKSTREAM_TICK_PER_MINUTE"), e.getMessage());
  }

  /**
   * Every variable of the task's container is one the generator reads ({@link
   * EnvironmentDefaults#variableFor} of one of its options), and the generator accepts them all:
   * its command line, built from that environment, yields a config writing to the stack's stream.
   */
  private static void assertEnvironmentIsTheGenerators(Stack stack) throws Exception {
    CommandLine cl = GeneratorMain.commandLine(Map.of());
    Set<String> accepted =
        cl.getCommandSpec().options().stream()
            .map(o -> EnvironmentDefaults.variableFor(o.longestName()))
            .collect(Collectors.toSet());
    JsonNode container =
        JSON.readTree(value(stack.one(TaskDefinition.class).containerDefinitions())).get(0);
    Map<String, String> env = new LinkedHashMap<>();
    container
        .get("environment")
        .forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
    List<String> unknown = env.keySet().stream().filter(n -> !accepted.contains(n)).toList();
    assertEquals(List.of(), unknown, "variables the generator does not read");

    CommandLine fromEnv = GeneratorMain.commandLine(env);
    fromEnv.parseArgs();
    GeneratorConfig config = ((GenerateCommand) fromEnv.getCommand()).toConfig();
    assertEquals(SinkSpec.Type.KINESIS, config.sink().type());
    assertEquals(stack.config.prefix() + "-ticks", config.sink().target());
  }
}
