package io.tickstream.infra;

import static io.tickstream.infra.Stack.optional;
import static io.tickstream.infra.Stack.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.aws.athena.NamedQuery;
import com.pulumi.aws.athena.Workgroup;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.dynamodb.Table;
import com.pulumi.aws.ec2.Subnet;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ecr.Repository;
import com.pulumi.aws.ecs.Service;
import com.pulumi.aws.ecs.TaskDefinition;
import com.pulumi.aws.emr.Cluster;
import com.pulumi.aws.glue.CatalogDatabase;
import com.pulumi.aws.glue.CatalogTable;
import com.pulumi.aws.glue.Crawler;
import com.pulumi.aws.glue.outputs.CrawlerS3Target;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.kinesis.Stream;
import com.pulumi.aws.s3.BucketObjectv2;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.scheduler.Schedule;
import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;
import io.tickstream.pipeline.model.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each component creates what it should, under itself, wired to the other components' outputs. */
class InventoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void cleanup() {
    PulumiTest.cleanup();
  }

  @Test
  void everyResourceIsAChildOfItsComponentAndNamedAfterIt() {
    Stack stack = Stack.standard();
    Set<String> components = new TreeSet<>();
    for (Resource r : stack.result.resources()) {
      if (r instanceof ComponentResource) {
        if (r.pulumiResourceType().startsWith("tickstream:infra:")) {
          components.add(r.pulumiResourceName());
        }
        continue;
      }
      String urn = Stack.urn(r);
      String name = r.pulumiResourceName();
      String component = name.substring(0, name.indexOf('-'));
      String componentType =
          stack.result.resources().stream()
              .filter(
                  c -> c instanceof ComponentResource && c.pulumiResourceName().equals(component))
              .map(Resource::pulumiResourceType)
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " is not named after a component"));
      assertTrue(urn.contains("$" + componentType + "$"), urn + " is not a child of " + component);
    }
    assertEquals(
        Set.of(
            "network",
            "stream",
            "lake",
            "producer",
            "processing",
            "analytics",
            "schedules",
            "alarms"),
        components);
  }

  @Test
  void networkHasPrivateSubnetsInTwoZonesAndTheEndpoints() {
    Stack stack = Stack.standard();
    List<Subnet> subnets = stack.all(Subnet.class);
    assertEquals(
        Set.of("us-east-1a", "us-east-1b"),
        subnets.stream().map(s -> value(s.availabilityZone())).collect(Collectors.toSet()));
    Map<String, String> endpoints = new HashMap<>();
    for (VpcEndpoint e : stack.all(VpcEndpoint.class)) {
      endpoints.put(optional(e.serviceName()), optional(e.vpcEndpointType()));
    }
    Map<String, String> expected = new HashMap<>();
    Network.GATEWAY_SERVICES.forEach(s -> expected.put("com.amazonaws.us-east-1." + s, "Gateway"));
    Network.INTERFACE_SERVICES.forEach(
        s -> expected.put("com.amazonaws.us-east-1." + s, "Interface"));
    assertEquals(expected, endpoints);
  }

  @Test
  void streamIsOnDemandUnlessProvisionedWithShards() {
    Stack onDemand = Stack.standard();
    Stream stream = onDemand.one(Stream.class);
    assertEquals("tickstream-test-ticks", value(stream.name()));
    assertEquals("ON_DEMAND", value(stream.streamModeDetails()).streamMode());
    assertEquals(null, optional(stream.shardCount()));
    PulumiTest.cleanup();

    Map<String, String> settings = Stack.standardSettings();
    settings.put("tickstream:streamMode", "provisioned");
    settings.put("tickstream:shards", "4");
    Stream provisioned = Stack.of(settings).one(Stream.class);
    assertEquals("PROVISIONED", value(provisioned.streamModeDetails()).streamMode());
    assertEquals(4, optional(provisioned.shardCount()));
  }

  @Test
  void producerRunsTheImageOfItsRepositoryWritingToTheStream() throws Exception {
    Stack stack = Stack.standard();
    Repository repo = stack.one(Repository.class);
    assertTrue(optional(repo.imageScanningConfiguration()).scanOnPush());
    JsonNode container =
        JSON.readTree(value(stack.one(TaskDefinition.class).containerDefinitions())).get(0);
    assertEquals(value(repo.repositoryUrl()) + ":0.1.0-TEST", container.get("image").asText());
    Map<String, String> env = new HashMap<>();
    container
        .get("environment")
        .forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
    assertEquals("kinesis:" + value(stack.one(Stream.class).name()), env.get("TICKSTREAM_SINK"));
    assertEquals("us-east-1", env.get("TICKSTREAM_REGION"));
    assertEquals("120", env.get("TICKSTREAM_TICKS_PER_MINUTE"));
    assertEquals(
        value(stack.one(LogGroup.class).name()),
        container.get("logConfiguration").get("options").get("awslogs-group").asText());

    Service service = stack.one(Service.class);
    Set<String> subnetIds =
        stack.all(Subnet.class).stream().map(s -> value(s.id())).collect(Collectors.toSet());
    assertEquals(subnetIds, Set.copyOf(optional(service.networkConfiguration()).subnets()));
    String taskPolicy = value(stack.named(RolePolicy.class, "producer-task-policy").policy());
    assertTrue(taskPolicy.contains(value(stack.one(Stream.class).arn())), taskPolicy);
  }

  @Test
  void processingRunsFlinkInAPrivateSubnetWithCheckpointsInTheLake() throws Exception {
    Stack stack = Stack.standard();
    Cluster cluster = stack.one(Cluster.class);
    assertEquals("emr-7.4.0", value(cluster.releaseLabel()));
    assertEquals(List.of("Flink"), optional(cluster.applications()));
    String firstSubnet = value(stack.named(Subnet.class, "network-private-us-east-1a").id());
    assertEquals(firstSubnet, optional(cluster.ec2Attributes()).subnetId().orElseThrow());
    String lake = value(stack.named(BucketV2.class, "lake-lake").bucket());
    JsonNode conf = JSON.readTree(optional(cluster.configurationsJson())).get(0);
    assertEquals("flink-conf", conf.get("Classification").asText());
    assertEquals(
        "s3://" + lake + "/checkpoints/tickstream/checkpoints",
        conf.get("Properties").get("state.checkpoints.dir").asText());
    BucketObjectv2 options = stack.named(BucketObjectv2.class, "processing-job-options");
    assertTrue(
        optional(options.content())
            .contains("stateBackendStoragePath: s3://" + lake + "/checkpoints/tickstream"));
    Table positions = stack.one(Table.class);
    assertEquals("symbol", value(positions.hashKey()));
    assertEquals("strategy", optional(positions.rangeKey()));
    assertTrue(value(positions.pointInTimeRecovery()).enabled());
    String nodes = value(stack.named(RolePolicy.class, "processing-emr-node-policy").policy());
    assertTrue(nodes.contains(value(positions.arn())), nodes);
    assertTrue(nodes.contains(value(stack.one(Stream.class).arn())), nodes);
  }

  @Test
  void analyticsHasATablePerDatasetTheWorkgroupAndTheQueries() {
    Stack stack = Stack.standard();
    assertEquals(Dataset.all().size(), stack.all(CatalogTable.class).size());
    Workgroup workgroup = stack.one(Workgroup.class);
    var configuration = optional(workgroup.configuration());
    String results = value(stack.named(BucketV2.class, "lake-results").bucket());
    assertEquals(
        "s3://" + results + "/athena/",
        configuration.resultConfiguration().orElseThrow().outputLocation().orElseThrow());
    assertTrue(configuration.enforceWorkgroupConfiguration().orElseThrow());
    assertEquals(10240 * 1024 * 1024, configuration.bytesScannedCutoffPerQuery().orElseThrow());
    for (NamedQuery q : stack.all(NamedQuery.class)) {
      assertEquals(value(workgroup.name()), optional(q.workgroup()));
    }
  }

  @Test
  void theLandingCrawlerIsThereOnlyWhenConfigured() {
    Map<String, String> settings = Stack.standardSettings();
    settings.remove("tickstream:landingCrawler");
    settings.remove("tickstream:landingCrawlerCron");
    Stack off = Stack.of(settings);
    assertEquals(List.of(), off.all(Crawler.class));
    for (Role role : off.all(Role.class)) {
      assertFalse(role.pulumiResourceName().startsWith("analytics-"), role.pulumiResourceName());
    }
    PulumiTest.cleanup();

    Stack on = Stack.standard();
    Crawler crawler = on.one(Crawler.class);
    String lake = value(on.named(BucketV2.class, "lake-lake").bucket());
    assertEquals(
        List.of("s3://" + lake + "/" + Lake.LANDING),
        optional(crawler.s3Targets()).stream().map(CrawlerS3Target::path).toList());
    assertEquals(value(on.one(CatalogDatabase.class).name()), value(crawler.databaseName()));
    assertEquals("landing_", optional(crawler.tablePrefix()));
    assertEquals("cron(0 4 * * ? *)", optional(crawler.schedule()));
    var changes = optional(crawler.schemaChangePolicy());
    assertEquals("LOG", changes.updateBehavior().orElseThrow());
    assertEquals("LOG", changes.deleteBehavior().orElseThrow());
    assertEquals(
        "CRAWL_NEW_FOLDERS_ONLY",
        optional(crawler.recrawlPolicy()).recrawlBehavior().orElseThrow());
    Role role = on.named(Role.class, "analytics-landing-crawler-role");
    assertEquals(value(role.arn()), value(crawler.role()));
    assertEquals(
        List.of(Analytics.GLUE_SERVICE_POLICY),
        on.all(RolePolicyAttachment.class).stream()
            .filter(a -> value(a.role()).equals(value(role.name())))
            .map(a -> value(a.policyArn()))
            .toList());
  }

  @Test
  void theLandingCrawlersRoleReadsOnlyLanding() throws Exception {
    Stack stack = Stack.standard();
    String lakeArn = value(stack.named(BucketV2.class, "lake-lake").arn());
    String roleId = value(stack.named(Role.class, "analytics-landing-crawler-role").id());
    List<String> grants = new ArrayList<>();
    for (RolePolicy policy : stack.all(RolePolicy.class)) {
      if (!value(policy.role()).equals(roleId)) {
        continue;
      }
      for (JsonNode s : JSON.readTree(value(policy.policy())).get("Statement")) {
        assertEquals("Allow", s.get("Effect").asText());
        String prefix = s.path("Condition").path("StringLike").path("s3:prefix").asText("");
        s.get("Action")
            .forEach(
                a ->
                    s.get("Resource")
                        .forEach(r -> grants.add(a.asText() + " " + r.asText() + " " + prefix)));
      }
    }
    assertEquals(
        List.of(
            "s3:ListBucket " + lakeArn + " landing/*",
            "s3:GetObject " + lakeArn + "/landing/* "),
        grants);
  }

  @Test
  void schedulesAddStepsToTheClusterWithTheirOwnRole() throws Exception {
    Stack stack = Stack.standard();
    String clusterId = value(stack.one(Cluster.class).id());
    List<Schedule> schedules = stack.all(Schedule.class);
    assertEquals(2, schedules.size());
    for (Schedule s : schedules) {
      var target = value(s.target());
      assertEquals(Schedules.ADD_STEPS_TARGET, target.arn());
      assertEquals(
          value(stack.named(com.pulumi.aws.iam.Role.class, "schedules-role").arn()),
          target.roleArn());
      JsonNode input = JSON.readTree(target.input().orElseThrow());
      assertEquals(clusterId, input.get("JobFlowId").asText());
    }
    String policy = value(stack.named(RolePolicy.class, "schedules-policy").policy());
    assertTrue(policy.contains(value(stack.one(Cluster.class).arn())), policy);
    assertFalse(policy.contains("\"*\""), policy);
  }

  @Test
  void alarmsWatchTheStreamAndTheProducerAndNotifyTheTopic() {
    Stack stack = Stack.standard();
    String topic = value(stack.one(Topic.class).arn());
    String streamName = value(stack.one(Stream.class).name());
    Map<String, MetricAlarm> byMetric = new HashMap<>();
    stack.all(MetricAlarm.class).forEach(a -> byMetric.put(optional(a.metricName()), a));
    assertEquals(
        Set.of(
            "GetRecords.IteratorAgeMilliseconds",
            "WriteProvisionedThroughputExceeded",
            "RunningTaskCount",
            "DeadLetters"),
        byMetric.keySet());
    assertEquals(
        Map.of("StreamName", streamName),
        optional(byMetric.get("GetRecords.IteratorAgeMilliseconds").dimensions()));
    assertEquals(
        value(stack.one(Service.class).name()),
        optional(byMetric.get("RunningTaskCount").dimensions()).get("ServiceName"));
    for (MetricAlarm a : byMetric.values()) {
      assertEquals(List.of(topic), optional(a.alarmActions()));
    }
    assertEquals("oncall@example.com", value(stack.one(TopicSubscription.class).endpoint()));
  }

  @Test
  void theStackExportsWhatTheDeployStepsNeed() {
    Stack stack = Stack.standard();
    Map<String, Object> outputs = new HashMap<>();
    stack.result.outputs().forEach((k, v) -> outputs.put(k, value(v)));
    assertEquals(
        Set.of(
            "streamName",
            "streamArn",
            "lakeBucket",
            "resultsBucket",
            "glueDatabase",
            "athenaWorkgroup",
            "ecrRepositoryUrl",
            "emrClusterId",
            "positionsTable",
            "alarmTopicArn",
            "deadLetterMetricsNamespace"),
        outputs.keySet());
    assertEquals(value(stack.one(Stream.class).name()), outputs.get("streamName"));
    assertEquals(value(stack.one(Cluster.class).id()), outputs.get("emrClusterId"));
    assertEquals(
        value(stack.one(Repository.class).repositoryUrl()), outputs.get("ecrRepositoryUrl"));
    assertEquals("tickstream", outputs.get("glueDatabase"));
  }
}
