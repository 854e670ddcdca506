package io.tickstream.infra;

import static io.tickstream.infra.Stack.optional;
import static io.tickstream.infra.Stack.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.ec2.RouteTable;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.Subnet;
import com.pulumi.aws.ecs.Service;
import com.pulumi.aws.ecs.TaskDefinition;
import com.pulumi.aws.emr.Cluster;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.kinesis.Stream;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketPolicy;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketVersioningV2;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Policies that every resource of the stack must satisfy; each test reads the whole stack. */
class PolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Actions IAM cannot scope to a resource: only these may have {@code Resource: "*"}. */
  private static final Set<String> NO_RESOURCE_LEVEL =
      Set.of("ecr:GetAuthorizationToken", "cloudwatch:PutMetricData");

  /**
   * Managed policies a role may carry: EMR's v2 service policy acts only on tagged resources; the
   * Glue service role policy is what AWS gives a crawler's role for the Data Catalog.
   */
  private static final Set<String> MANAGED_POLICIES =
      Set.of(Processing.EMR_SERVICE_POLICY, Analytics.GLUE_SERVICE_POLICY);

  /**
   * Service principals not documented to pass {@code aws:SourceAccount} when they assume a role:
   * EC2, for an instance profile's role; Glue, for a crawler's.
   */
  private static final Set<String> NO_SOURCE_ACCOUNT =
      Set.of("ec2.amazonaws.com", "glue.amazonaws.com");

  /** Resource types that would give the stack a way to or from the internet. */
  private static final Set<String> PUBLIC_NETWORK_TYPES =
      Set.of(
          "aws:ec2/internetGateway:InternetGateway",
          "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
          "aws:ec2/natGateway:NatGateway",
          "aws:ec2/eip:Eip",
          "aws:ec2/route:Route");

  @AfterEach
  void cleanup() {
    PulumiTest.cleanup();
  }

  @Test
  void noBucketWithoutFullPublicAccessBlockEncryptionAndTlsOnly() throws Exception {
    Stack stack = Stack.standard();
    List<BucketV2> buckets = stack.all(BucketV2.class);
    assertEquals(2, buckets.size());
    for (BucketV2 bucket : buckets) {
      String id = value(bucket.id());
      String name = bucket.pulumiResourceName();
      List<BucketPublicAccessBlock> blocks =
          stack.all(BucketPublicAccessBlock.class).stream()
              .filter(b -> value(b.bucket()).equals(id))
              .toList();
      assertEquals(1, blocks.size(), name + ": public access blocks");
      BucketPublicAccessBlock block = blocks.get(0);
      assertTrue(Boolean.TRUE.equals(optional(block.blockPublicAcls())), name + " public ACLs");
      assertTrue(Boolean.TRUE.equals(optional(block.blockPublicPolicy())), name + " policy");
      assertTrue(Boolean.TRUE.equals(optional(block.ignorePublicAcls())), name + " ignore ACLs");
      assertTrue(Boolean.TRUE.equals(optional(block.restrictPublicBuckets())), name + " restrict");

      List<String> algorithms =
          stack.all(BucketServerSideEncryptionConfigurationV2.class).stream()
              .filter(e -> value(e.bucket()).equals(id))
              .flatMap(e -> value(e.rules()).stream())
              .map(r -> r.applyServerSideEncryptionByDefault().orElseThrow().sseAlgorithm())
              .toList();
      assertFalse(algorithms.isEmpty(), name + " has no default encryption");
      assertTrue(Set.of("AES256", "aws:kms").containsAll(algorithms), name + ": " + algorithms);

      boolean tlsOnly = false;
      for (BucketPolicy policy : stack.all(BucketPolicy.class)) {
        if (!value(policy.bucket()).equals(id)) {
          continue;
        }
        for (JsonNode s : JSON.readTree(value(policy.policy())).get("Statement")) {
          tlsOnly |=
              s.get("Effect").asText().equals("Deny")
                  && s.path("Condition")
                      .path("Bool")
                      .path("aws:SecureTransport")
                      .asText()
                      .equals("false");
        }
      }
      assertTrue(tlsOnly, name + " accepts requests without TLS");
      assertTrue(
          stack.all(BucketVersioningV2.class).stream().anyMatch(v -> value(v.bucket()).equals(id)),
          name + " has no versioning setting");
      assertTrue(
          stack.all(BucketLifecycleConfigurationV2.class).stream()
              .anyMatch(l -> value(l.bucket()).equals(id)),
          name + " has no lifecycle rules");
    }
  }

  @Test
  void noIamStatementAllowsEveryActionOrAWildcardResourceWhereAnArnIsPossible() throws Exception {
    Stack stack = Stack.standard();
    List<String> documents = new ArrayList<>();
    stack.all(RolePolicy.class).forEach(p -> documents.add(value(p.policy())));
    stack.all(BucketPolicy.class).forEach(p -> documents.add(value(p.policy())));
    stack.all(Role.class).forEach(r -> documents.add(value(r.assumeRolePolicy())));
    assertFalse(documents.isEmpty());
    List<String> violations = new ArrayList<>();
    for (String document : documents) {
      for (JsonNode s : JSON.readTree(document).get("Statement")) {
        if (!s.get("Effect").asText().equals("Allow")) {
          continue;
        }
        List<String> actions = strings(s.get("Action"));
        for (String action : actions) {
          if (action.equals("*") || action.endsWith(":*")) {
            violations.add(s.path("Sid").asText() + ": action " + action);
          }
        }
        for (String resource : strings(s.get("Resource"))) {
          if (resource.equals("*")) {
            if (!NO_RESOURCE_LEVEL.containsAll(actions)) {
              violations.add(s.path("Sid").asText() + ": Resource * for " + actions);
            }
          } else if (stack.mocks.arns.stream()
              .noneMatch(
                  arn ->
                      resource.equals(arn)
                          || resource.startsWith(arn + "/")
                          || resource.startsWith(arn + ":"))) {
            // Only ARNs of this stack's resources (or the objects under them) are specific.
            violations.add(
                s.path("Sid").asText() + ": " + resource + " is no resource of the stack");
          }
        }
      }
    }
    assertEquals(List.of(), violations);
    for (Role role : stack.all(Role.class)) {
      assertEquals(List.of(), listOf(value(role.managedPolicyArns())), role.pulumiResourceName());
      assertEquals(List.of(), listOf(value(role.inlinePolicies())), role.pulumiResourceName());
    }
    for (RolePolicyAttachment a : stack.all(RolePolicyAttachment.class)) {
      assertTrue(MANAGED_POLICIES.contains(value(a.policyArn())), value(a.policyArn()));
    }
  }

  @Test
  void everyServiceTrustedByARoleActsOnlyForTheStacksAccount() throws Exception {
    Stack stack = Stack.standard();
    Set<String> services = new TreeSet<>();
    List<String> violations = new ArrayList<>();
    for (Role role : stack.all(Role.class)) {
      String name = role.pulumiResourceName();
      for (JsonNode s : JSON.readTree(value(role.assumeRolePolicy())).get("Statement")) {
        List<String> principals = strings(s.path("Principal").get("Service"));
        if (!s.get("Effect").asText().equals("Allow")
            || principals.isEmpty()
            || NO_SOURCE_ACCOUNT.containsAll(principals)) {
          continue;
        }
        services.addAll(principals);
        JsonNode condition = s.path("Condition");
        String account = condition.path("StringEquals").path("aws:SourceAccount").asText();
        if (!account.equals(AwsMocks.ACCOUNT)) {
          violations.add(name + ": " + principals + " for aws:SourceAccount '" + account + "'");
        }
        // A source ARN, where there is one, is the same account's.
        for (String arn : strings(condition.path("ArnLike").get("aws:SourceArn"))) {
          if (!arn.split(":")[4].equals(AwsMocks.ACCOUNT)) {
            violations.add(name + ": " + principals + " for aws:SourceArn " + arn);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
    assertEquals(
        Set.of(
            "ecs-tasks.amazonaws.com",
            "elasticmapreduce.amazonaws.com",
            "scheduler.amazonaws.com"),
        services);
  }

  @Test
  void noEcsTaskGetsAPublicIp() {
    Stack stack = Stack.standard();
    List<Service> services = stack.all(Service.class);
    assertFalse(services.isEmpty());
    for (Service service : services) {
      var network = optional(service.networkConfiguration());
      assertTrue(network != null, service.pulumiResourceName() + " has no network configuration");
      assertEquals(
          false,
          network.assignPublicIp().orElse(null),
          service.pulumiResourceName() + " does not turn public IPs off");
    }
    for (TaskDefinition task : stack.all(TaskDefinition.class)) {
      // awsvpc: the task's ENI is in the service's (private) subnets, not the host's.
      assertEquals("awsvpc", value(task.networkMode()), task.pulumiResourceName());
    }
  }

  @Test
  void everyLogGroupHasARetention() {
    Stack stack = Stack.standard();
    List<LogGroup> groups = stack.all(LogGroup.class);
    assertFalse(groups.isEmpty());
    for (LogGroup group : groups) {
      Integer days = optional(group.retentionInDays());
      assertTrue(days != null && days > 0, group.pulumiResourceName() + " keeps logs forever");
    }
  }

  @Test
  void theStreamIsEncryptedWithTheStacksKey() {
    Stack stack = Stack.standard();
    Set<String> keys =
        stack.all(Key.class).stream().map(k -> value(k.arn())).collect(Collectors.toSet());
    List<Stream> streams = stack.all(Stream.class);
    assertFalse(streams.isEmpty());
    for (Stream stream : streams) {
      assertEquals("KMS", optional(stream.encryptionType()), stream.pulumiResourceName());
      assertTrue(keys.contains(optional(stream.kmsKeyId())), stream.pulumiResourceName());
    }
    for (Key key : stack.all(Key.class)) {
      assertEquals(true, optional(key.enableKeyRotation()), key.pulumiResourceName());
    }
  }

  @Test
  void nothingIsInAPublicSubnet() {
    Stack stack = Stack.standard();
    for (Resource r : stack.result.resources()) {
      assertFalse(
          PUBLIC_NETWORK_TYPES.contains(r.pulumiResourceType()),
          r.pulumiResourceName() + " is a " + r.pulumiResourceType());
    }
    Set<String> subnets = new java.util.HashSet<>();
    for (Subnet subnet : stack.all(Subnet.class)) {
      assertEquals(
          false,
          optional(subnet.mapPublicIpOnLaunch()),
          subnet.pulumiResourceName() + " hands out public IPs");
      subnets.add(value(subnet.id()));
    }
    for (RouteTable table : stack.all(RouteTable.class)) {
      for (var route : listOf(value(table.routes()))) {
        fail(table.pulumiResourceName() + " routes " + route.cidrBlock().orElse("?") + " out");
      }
    }
    for (SecurityGroup group : stack.all(SecurityGroup.class)) {
      for (var rule : listOf(value(group.ingress()))) {
        assertFalse(
            rule.cidrBlocks().contains("0.0.0.0/0") || rule.ipv6CidrBlocks().contains("::/0"),
            group.pulumiResourceName() + " is open to the internet");
      }
    }
    for (Service service : stack.all(Service.class)) {
      assertTrue(subnets.containsAll(optional(service.networkConfiguration()).subnets()));
    }
    for (Cluster cluster : stack.all(Cluster.class)) {
      assertTrue(
          subnets.contains(optional(cluster.ec2Attributes()).subnetId().orElseThrow()),
          cluster.pulumiResourceName() + " is outside the private subnets");
    }
  }

  /** Mocked list outputs that were never set are null: none. */
  private static <T> List<T> listOf(List<T> values) {
    return values == null ? List.of() : values;
  }

  private static void fail(String message) {
    throw new AssertionError(message);
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }
}
