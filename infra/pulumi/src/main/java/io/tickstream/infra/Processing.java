package io.tickstream.infra;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.aws.dynamodb.Table;
import com.pulumi.aws.dynamodb.TableArgs;
import com.pulumi.aws.dynamodb.inputs.TableAttributeArgs;
import com.pulumi.aws.dynamodb.inputs.TablePointInTimeRecoveryArgs;
import com.pulumi.aws.dynamodb.inputs.TableServerSideEncryptionArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.emr.Cluster;
import com.pulumi.aws.emr.ClusterArgs;
import com.pulumi.aws.emr.inputs.ClusterCoreInstanceGroupArgs;
import com.pulumi.aws.emr.inputs.ClusterEc2AttributesArgs;
import com.pulumi.aws.emr.inputs.ClusterMasterInstanceGroupArgs;
import com.pulumi.aws.emr.inputs.ClusterStepArgs;
import com.pulumi.aws.emr.inputs.ClusterStepHadoopJarStepArgs;
import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.s3.BucketObjectv2;
import com.pulumi.aws.s3.BucketObjectv2Args;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming job's home: an EMR cluster with Flink 1.19 in a private subnet, configured from
 * {@code runner-configs/} (checkpoints in the lake bucket), a detached Flink YARN session to submit
 * the job jar to, the positions table in DynamoDB, and roles scoped to the stream, the lake's
 * prefixes and that table.
 */
public final class Processing extends ComponentResource {
  /** AWS's managed policy for EMR's service role; it acts only on resources tagged for EMR. */
  public static final String EMR_SERVICE_POLICY =
      "arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2";

  /** Where the job's options file is uploaded in the lake bucket. */
  public static final String OPTIONS_KEY = Lake.JOBS + "runner-configs/flink-emr.yaml";

  /** Where the batch jobs' options file is uploaded in the lake bucket. */
  public static final String BATCH_OPTIONS_KEY =
      Lake.JOBS + "runner-configs/backfill-flink-batch.yaml";

  /** Where the deploy steps upload the Flink job jar in the lake bucket. */
  public static final String JOB_JAR_KEY = Lake.JOBS + "tickstream-pipelines-flink-job.jar";


  private final Table positions;
  private final Cluster cluster;

  public Processing(
      String name,
      InfraConfig config,
      Output<String> account,
      Network network,
      Stream stream,
      Lake lake,
      ComponentResourceOptions options) {
    super("tickstream:infra:Processing", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    positions =
        new Table(
            name + "-positions",
            TableArgs.builder()
                .name(config.prefix() + "-positions")
                .billingMode("PAY_PER_REQUEST")
                // The key schema of io.tickstream.pipeline.sink.dynamodb.PositionsTable.
                .hashKey("symbol")
                .rangeKey("strategy")
                .attributes(
                    TableAttributeArgs.builder().name("symbol").type("S").build(),
                    TableAttributeArgs.builder().name("strategy").type("S").build())
                .pointInTimeRecovery(TablePointInTimeRecoveryArgs.builder().enabled(true).build())
                .serverSideEncryption(TableServerSideEncryptionArgs.builder().enabled(true).build())
                .build(),
            child);

    Output<String> checkpoints = lake.lakeUri(Lake.CHECKPOINTS + "tickstream");
    new BucketObjectv2(
        name + "-job-options",
        BucketObjectv2Args.builder()
            .bucket(lake.lakeBucket())
            .key(OPTIONS_KEY)
            .contentType("application/yaml")
            .content(checkpoints.applyValue(c -> RunnerConfigs.flinkEmrOptions(c, config.region())))
            .build(),
        child);

    new BucketObjectv2(
        name + "-batch-options",
        BucketObjectv2Args.builder()
            .bucket(lake.lakeBucket())
            .key(BATCH_OPTIONS_KEY)
            .contentType("application/yaml")
            .content(RunnerConfigs.backfillBatchOptions())
            .build(),
        child);

    Role service =
        new Role(
            name + "-emr-service-role",
            RoleArgs.builder()
                .description("EMR's service role for the Flink cluster")
                .assumeRolePolicy(
                    PolicyDocument.assumedBy(
                        "elasticmapreduce.amazonaws.com",
                        account,
                        id -> "arn:aws:elasticmapreduce:" + config.region() + ":" + id + ":*"))
                .build(),
            child);
    new RolePolicyAttachment(
        name + "-emr-service-policy",
        RolePolicyAttachmentArgs.builder()
            .role(service.name())
            .policyArn(EMR_SERVICE_POLICY)
            .build(),
        child);
    Role nodes =
        new Role(
            name + "-emr-node-role",
            RoleArgs.builder()
                .description("The Flink cluster's nodes: the stream, the lake, the positions table")
                // No aws:SourceAccount condition: EC2 passes none when an instance profile's role
                // is assumed, so one would keep the nodes from getting credentials at all.
                .assumeRolePolicy(PolicyDocument.assumedBy("ec2.amazonaws.com"))
                .build(),
            child);
    new RolePolicy(
        name + "-emr-node-policy",
        RolePolicyArgs.builder()
            .role(nodes.id())
            .policy(
                PolicyDocument.create()
                    .allow(
                        "ReadTicks",
                        List.of(
                            "kinesis:GetRecords",
                            "kinesis:GetShardIterator",
                            "kinesis:DescribeStream",
                            "kinesis:DescribeStreamSummary",
                            "kinesis:ListShards"),
                        List.of(stream.streamArn()))
                    .allow("DecryptTicks", List.of("kms:Decrypt"), List.of(stream.keyArn()))
                    .allow("ListLake", List.of("s3:ListBucket"), List.of(lake.lakeBucketArn()))
                    .allow(
                        "WriteLakeAndCheckpoints",
                        List.of(
                            "s3:GetObject",
                            "s3:PutObject",
                            "s3:DeleteObject",
                            "s3:AbortMultipartUpload"),
                        List.of(lake.lakeObjects(Lake.LAKE), lake.lakeObjects(Lake.CHECKPOINTS)))
                    .allow(
                        "ReadLandingAndJobs",
                        List.of("s3:GetObject"),
                        List.of(lake.lakeObjects(Lake.LANDING), lake.lakeObjects(Lake.JOBS)))
                    .allow(
                        "WriteEmrLogs",
                        List.of("s3:PutObject"),
                        List.of(lake.lakeObjects(Lake.EMR_LOGS)))
                    .allow(
                        "KeepPositions",
                        List.of(
                            "dynamodb:DescribeTable", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                        List.of(positions.arn()))
                    // PutMetricData has no resource-level permissions; the condition key limits
                    // it to the job's dead-letter namespace.
                    .allow(
                        "SendDeadLetterCounts",
                        List.of("cloudwatch:PutMetricData"),
                        List.of(Output.of("*")),
                        Map.of(
                            "StringEquals",
                            Map.of("cloudwatch:namespace", Alarms.deadLetterNamespace(config))))
                    .json())
            .build(),
        child);
    new RolePolicy(
        name + "-emr-service-pass-role",
        RolePolicyArgs.builder()
            .role(service.id())
            .policy(
                PolicyDocument.create()
                    .allow(
                        "PassNodeRole",
                        List.of("iam:PassRole"),
                        List.of(nodes.arn()),
                        Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")))
                    .json())
            .build(),
        child);
    InstanceProfile profile =
        new InstanceProfile(
            name + "-emr-node-profile",
            InstanceProfileArgs.builder().role(nodes.name()).build(),
            child);

    // EMR-managed groups: EMR writes their rules itself; revoked on delete, or the groups'
    // references to each other keep them from being deleted.
    SecurityGroup primary = emrGroup(name + "-emr-primary", "EMR primary node", network, child);
    SecurityGroup core = emrGroup(name + "-emr-core", "EMR core nodes", network, child);
    SecurityGroup serviceAccess =
        emrGroup(
            name + "-emr-service-access", "EMR service access (private subnet)", network, child);

    Map<String, String> tags = new LinkedHashMap<>(Network.EMR_MANAGED_TAG);
    tags.put("Name", config.prefix() + "-flink");
    cluster =
        new Cluster(
            name + "-flink",
            ClusterArgs.builder()
                .name(config.prefix() + "-flink")
                .releaseLabel(config.emrRelease())
                .applications("Flink")
                .serviceRole(service.arn())
                .logUri(lake.lakeUri(Lake.EMR_LOGS))
                .ec2Attributes(
                    ClusterEc2AttributesArgs.builder()
                        .subnetId(network.firstPrivateSubnetId())
                        .instanceProfile(profile.arn())
                        .emrManagedMasterSecurityGroup(primary.id())
                        .emrManagedSlaveSecurityGroup(core.id())
                        .serviceAccessSecurityGroup(serviceAccess.id())
                        .build())
                .masterInstanceGroup(
                    ClusterMasterInstanceGroupArgs.builder()
                        .instanceType(config.emrPrimaryType())
                        .instanceCount(1)
                        .build())
                .coreInstanceGroup(
                    ClusterCoreInstanceGroupArgs.builder()
                        .instanceType(config.emrCoreType())
                        .instanceCount(config.emrCoreCount())
                        .build())
                .configurationsJson(checkpoints.applyValue(Processing::configurations))
                .keepJobFlowAliveWhenNoSteps(true)
                // The session the job is submitted to (README: deploy steps).
                .steps(
                    ClusterStepArgs.builder()
                        .name("Start a detached Flink YARN session")
                        .actionOnFailure("CONTINUE")
                        .hadoopJarStep(
                            ClusterStepHadoopJarStepArgs.builder()
                                .jar("command-runner.jar")
                                .args("flink-yarn-session", "-d")
                                .build())
                        .build())
                .tags(tags)
                .build(),
            CustomResourceOptions.builder()
                .parent(this)
                // EMR must be able to assume the roles before it starts nodes.
                .dependsOn(List.of(profile))
                .build());
    registerOutputs(
        Map.of(
            "clusterId", cluster.id(),
            "positionsTable", positions.name()));
  }

  private SecurityGroup emrGroup(
      String name, String description, Network network, CustomResourceOptions child) {
    return new SecurityGroup(
        name,
        SecurityGroupArgs.builder()
            .vpcId(network.vpcId())
            .description(description)
            .revokeRulesOnDelete(true)
            .tags(Network.EMR_MANAGED_TAG)
            .build(),
        child);
  }

  /** EMR's configuration classifications: the cluster's Flink configuration. */
  static String configurations(String checkpoints) {
    ArrayNode all = Json.MAPPER.createArrayNode();
    ObjectNode flinkConf = all.addObject().put("Classification", "flink-conf");
    ObjectNode properties = flinkConf.putObject("Properties");
    RunnerConfigs.flinkConf(checkpoints).forEach(properties::put);
    return Json.write(all);
  }

  /** The EMR cluster's id, what {@code aws emr add-steps --cluster-id} takes. */
  public Output<String> clusterId() {
    return cluster.id();
  }

  /** The EMR cluster's ARN. */
  public Output<String> clusterArn() {
    return cluster.arn();
  }

  /** The positions table's name, what {@code --positions-table} takes. */
  public Output<String> positionsTable() {
    return positions.name();
  }
}
