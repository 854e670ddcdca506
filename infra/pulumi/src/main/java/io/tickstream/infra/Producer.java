package io.tickstream.infra;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.ecr.Repository;
import com.pulumi.aws.ecr.RepositoryArgs;
import com.pulumi.aws.ecr.inputs.RepositoryEncryptionConfigurationArgs;
import com.pulumi.aws.ecr.inputs.RepositoryImageScanningConfigurationArgs;
import com.pulumi.aws.ecs.Cluster;
import com.pulumi.aws.ecs.ClusterArgs;
import com.pulumi.aws.ecs.Service;
import com.pulumi.aws.ecs.ServiceArgs;
import com.pulumi.aws.ecs.TaskDefinition;
import com.pulumi.aws.ecs.TaskDefinitionArgs;
import com.pulumi.aws.ecs.inputs.ClusterSettingArgs;
import com.pulumi.aws.ecs.inputs.ServiceDeploymentCircuitBreakerArgs;
import com.pulumi.aws.ecs.inputs.ServiceNetworkConfigurationArgs;
import com.pulumi.aws.ecs.inputs.TaskDefinitionRuntimePlatformArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.tickstream.generator.cli.EnvironmentDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator on ECS Fargate: its ECR repository, the cluster, the task definition and service
 * (private subnets, no public IP), the log group, and roles that may pull the image, write the logs
 * and put records into the stack's stream, nothing else. Its flags are {@code TICKSTREAM_*}
 * environment variables.
 */
public final class Producer extends ComponentResource {
  /** The container's name in the task definition. */
  public static final String CONTAINER = "generator";


  private final Repository repository;
  private final Cluster cluster;
  private final Service service;
  private final LogGroup logs;

  public Producer(
      String name,
      InfraConfig config,
      Output<String> account,
      Network network,
      Stream stream,
      ComponentResourceOptions options) {
    super("tickstream:infra:Producer", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    repository =
        new Repository(
            name + "-repository",
            RepositoryArgs.builder()
                .name(config.prefix() + "-generator")
                .imageScanningConfiguration(
                    RepositoryImageScanningConfigurationArgs.builder().scanOnPush(true).build())
                // Mutable: the default tag is the project's -SNAPSHOT version, pushed again by
                // every build of it.
                .imageTagMutability("MUTABLE")
                .encryptionConfigurations(
                    RepositoryEncryptionConfigurationArgs.builder()
                        .encryptionType("AES256")
                        .build())
                .build(),
            child);
    cluster =
        new Cluster(
            name + "-cluster",
            ClusterArgs.builder()
                .name(config.prefix())
                // RunningTaskCount, which the producer's alarm watches, comes from Container
                // Insights.
                .settings(
                    ClusterSettingArgs.builder().name("containerInsights").value("enabled").build())
                .build(),
            child);
    logs =
        new LogGroup(
            name + "-logs",
            LogGroupArgs.builder()
                .name("/tickstream/" + config.env() + "/generator")
                .retentionInDays(config.logRetentionDays())
                .build(),
            child);

    Role execution =
        new Role(
            name + "-execution-role",
            RoleArgs.builder()
                .description("Pulls the generator image and writes its logs")
                .assumeRolePolicy(ecsTasksTrust(config, account))
                .build(),
            child);
    new RolePolicy(
        name + "-execution-policy",
        RolePolicyArgs.builder()
            .role(execution.id())
            .policy(
                PolicyDocument.create()
                    // GetAuthorizationToken has no resource-level permissions.
                    .allow(
                        "RegistryLogin",
                        List.of("ecr:GetAuthorizationToken"),
                        List.of(Output.of("*")))
                    .allow(
                        "PullGeneratorImage",
                        List.of(
                            "ecr:BatchCheckLayerAvailability",
                            "ecr:GetDownloadUrlForLayer",
                            "ecr:BatchGetImage"),
                        List.of(repository.arn()))
                    .allow(
                        "WriteGeneratorLogs",
                        List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        List.of(logs.arn().applyValue(arn -> arn + ":log-stream:*")))
                    .json())
            .build(),
        child);
    Role task =
        new Role(
            name + "-task-role",
            RoleArgs.builder()
                .description("Lets the generator put records into the tick stream")
                .assumeRolePolicy(ecsTasksTrust(config, account))
                .build(),
            child);
    new RolePolicy(
        name + "-task-policy",
        RolePolicyArgs.builder()
            .role(task.id())
            .policy(
                PolicyDocument.create()
                    .allow(
                        "PutTicks",
                        List.of(
                            "kinesis:PutRecord",
                            "kinesis:PutRecords",
                            "kinesis:DescribeStream",
                            "kinesis:DescribeStreamSummary",
                            "kinesis:ListShards"),
                        List.of(stream.streamArn()))
                    // A stream encrypted with a customer key takes writes only from callers
                    // that may generate data keys with it.
                    .allow("EncryptTicks", List.of("kms:GenerateDataKey"), List.of(stream.keyArn()))
                    .json())
            .build(),
        child);

    Output<String> containers =
        Output.tuple(repository.repositoryUrl(), logs.name(), stream.streamName())
            .applyValue(t -> containerDefinitions(config, t.t1, t.t2, t.t3));
    TaskDefinition definition =
        new TaskDefinition(
            name + "-task",
            TaskDefinitionArgs.builder()
                .family(config.prefix() + "-generator")
                .requiresCompatibilities("FARGATE")
                .networkMode("awsvpc")
                .cpu(Integer.toString(config.producerCpu()))
                .memory(Integer.toString(config.producerMemoryMb()))
                // jib builds the image for linux/amd64.
                .runtimePlatform(
                    TaskDefinitionRuntimePlatformArgs.builder()
                        .operatingSystemFamily("LINUX")
                        .cpuArchitecture("X86_64")
                        .build())
                .executionRoleArn(execution.arn())
                .taskRoleArn(task.arn())
                .containerDefinitions(containers)
                .build(),
            child);
    service =
        new Service(
            name + "-service",
            ServiceArgs.builder()
                .name(config.prefix() + "-generator")
                .cluster(cluster.arn())
                .taskDefinition(definition.arn())
                .desiredCount(config.producerCount())
                .launchType("FARGATE")
                .networkConfiguration(
                    ServiceNetworkConfigurationArgs.builder()
                        .subnets(network.privateSubnetIds())
                        .securityGroups(network.workloadSecurityGroupId().applyValue(List::of))
                        .assignPublicIp(false)
                        .build())
                .deploymentCircuitBreaker(
                    ServiceDeploymentCircuitBreakerArgs.builder()
                        .enable(true)
                        .rollback(true)
                        .build())
                .build(),
            child);
    registerOutputs(
        Map.of(
            "repositoryUrl", repository.repositoryUrl(),
            "clusterName", cluster.name(),
            "serviceName", service.name()));
  }

  /** ECS tasks may assume the role only for this account's tasks in the stack's region. */
  private static Output<String> ecsTasksTrust(InfraConfig config, Output<String> account) {
    return PolicyDocument.assumedBy(
        "ecs-tasks.amazonaws.com",
        account,
        id -> "arn:aws:ecs:" + config.region() + ":" + id + ":*");
  }

  /**
   * The generator's environment: the configured flags, then the sink and region, which always name
   * the stack's stream.
   */
  static Map<String, String> environment(InfraConfig config, String streamName) {
    Map<String, String> env = new LinkedHashMap<>();
    config
        .generatorFlags()
        .forEach((flag, value) -> env.put(EnvironmentDefaults.variableFor(flag), value));
    env.put(EnvironmentDefaults.variableFor("sink"), "kinesis:" + streamName);
    env.put(EnvironmentDefaults.variableFor("region"), config.region());
    return env;
  }

  private static String containerDefinitions(
      InfraConfig config, String repositoryUrl, String logGroup, String streamName) {
    ArrayNode all = Json.MAPPER.createArrayNode();
    ObjectNode container = all.addObject();
    container.put("name", CONTAINER);
    container.put("image", repositoryUrl + ":" + config.imageTag());
    container.put("essential", true);
    ArrayNode environment = container.putArray("environment");
    environment(config, streamName)
        .forEach((k, v) -> environment.addObject().put("name", k).put("value", v));
    ObjectNode logging = container.putObject("logConfiguration");
    logging.put("logDriver", "awslogs");
    logging
        .putObject("options")
        .put("awslogs-group", logGroup)
        .put("awslogs-region", config.region())
        .put("awslogs-stream-prefix", CONTAINER);
    return Json.write(all);
  }

  /** The ECR repository's URL, where the generator image is pushed. */
  public Output<String> repositoryUrl() {
    return repository.repositoryUrl();
  }

  /** The ECS cluster's name. */
  public Output<String> clusterName() {
    return cluster.name();
  }

  /** The ECS service's name. */
  public Output<String> serviceName() {
    return service.name();
  }

  /** The log group's name. */
  public Output<String> logGroupName() {
    return logs.name();
  }
}
