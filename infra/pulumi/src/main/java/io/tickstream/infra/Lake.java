package io.tickstream.infra;

import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
import com.pulumi.aws.s3.BucketOwnershipControls;
import com.pulumi.aws.s3.BucketOwnershipControlsArgs;
import com.pulumi.aws.s3.BucketPolicy;
import com.pulumi.aws.s3.BucketPolicyArgs;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.BucketVersioningV2;
import com.pulumi.aws.s3.BucketVersioningV2Args;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleTransitionArgs;
import com.pulumi.aws.s3.inputs.BucketOwnershipControlsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketVersioningV2VersioningConfigurationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lake bucket and the Athena results bucket: no public access, default encryption, TLS only,
 * versioning as configured, and lifecycle rules. The lake bucket's layout is its prefixes below.
 */
public final class Lake extends ComponentResource {
  /** Raw landing files (JSON lines, one-object JSON files) that {@code backfill} reads. */
  public static final String LANDING = "landing/";

  /** The Parquet lake: one directory per dataset, what the Glue tables point at. */
  public static final String LAKE = "lake/";

  /** Flink's checkpoints and savepoints. */
  public static final String CHECKPOINTS = "checkpoints/";

  /** The job jar and the options files the EMR steps run with. */
  public static final String JOBS = "jobs/";

  /** EMR's step and node logs. */
  public static final String EMR_LOGS = "emr-logs/";

  /** Where Athena writes results in the results bucket. */
  public static final String ATHENA_RESULTS = "athena/";

  private final BucketV2 lake;
  private final BucketV2 results;

  public Lake(String name, InfraConfig config, ComponentResourceOptions options) {
    super("tickstream:infra:Lake", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    lake = privateBucket(name + "-lake", config.prefix() + "-lake-", config, child);
    lifecycle(
        name + "-lake",
        lake,
        config,
        List.of(
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("landing-expires")
                .status("Enabled")
                .filter(prefix(LANDING))
                .expiration(
                    BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                        .days(config.landingExpireDays())
                        .build())
                .build(),
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("lake-to-infrequent-access")
                .status("Enabled")
                .filter(prefix(LAKE))
                .transitions(
                    BucketLifecycleConfigurationV2RuleTransitionArgs.builder()
                        .days(config.lakeInfrequentAccessDays())
                        .storageClass("STANDARD_IA")
                        .build())
                .build(),
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("emr-logs-expire")
                .status("Enabled")
                .filter(prefix(EMR_LOGS))
                .expiration(
                    BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                        .days(config.logRetentionDays())
                        .build())
                .build()),
        child);
    results = privateBucket(name + "-results", config.prefix() + "-results-", config, child);
    lifecycle(
        name + "-results",
        results,
        config,
        List.of(
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("results-expire")
                .status("Enabled")
                .filter(prefix(""))
                .expiration(
                    BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                        .days(config.resultsExpireDays())
                        .build())
                .build()),
        child);
    registerOutputs(Map.of("lakeBucket", lake.bucket(), "resultsBucket", results.bucket()));
  }

  private BucketV2 privateBucket(
      String name, String bucketPrefix, InfraConfig config, CustomResourceOptions child) {
    BucketV2 bucket =
        new BucketV2(name, BucketV2Args.builder().bucketPrefix(bucketPrefix).build(), child);
    BucketPublicAccessBlock block =
        new BucketPublicAccessBlock(
            name + "-public-access-block",
            BucketPublicAccessBlockArgs.builder()
                .bucket(bucket.id())
                .blockPublicAcls(true)
                .blockPublicPolicy(true)
                .ignorePublicAcls(true)
                .restrictPublicBuckets(true)
                .build(),
            child);
    new BucketOwnershipControls(
        name + "-ownership",
        BucketOwnershipControlsArgs.builder()
            .bucket(bucket.id())
            .rule(
                BucketOwnershipControlsRuleArgs.builder()
                    .objectOwnership("BucketOwnerEnforced")
                    .build())
            .build(),
        child);
    new BucketServerSideEncryptionConfigurationV2(
        name + "-encryption",
        BucketServerSideEncryptionConfigurationV2Args.builder()
            .bucket(bucket.id())
            .rules(
                BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                    .applyServerSideEncryptionByDefault(
                        BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs
                            .builder()
                            // SSE-S3: Athena, Glue, EMR and the tasks read it with S3 permissions
                            // alone; the stream, which holds raw input, has its own KMS key.
                            .sseAlgorithm("AES256")
                            .build())
                    .build())
            .build(),
        child);
    new BucketVersioningV2(
        name + "-versioning",
        BucketVersioningV2Args.builder()
            .bucket(bucket.id())
            .versioningConfiguration(
                BucketVersioningV2VersioningConfigurationArgs.builder()
                    .status(config.lakeVersioning() ? "Enabled" : "Suspended")
                    .build())
            .build(),
        child);
    Output<String> policy =
        PolicyDocument.create()
            .deny(
                "DenyInsecureTransport",
                List.of("s3:*"),
                List.of(bucket.arn(), bucket.arn().applyValue(arn -> arn + "/*")),
                Map.of("Bool", Map.of("aws:SecureTransport", "false")))
            .json();
    new BucketPolicy(
        name + "-tls-only",
        BucketPolicyArgs.builder().bucket(bucket.id()).policy(policy).build(),
        // After the public access block: S3 checks a new policy against it.
        CustomResourceOptions.builder().parent(this).dependsOn(block).build());
    return bucket;
  }

  private static void lifecycle(
      String name,
      BucketV2 bucket,
      InfraConfig config,
      List<BucketLifecycleConfigurationV2RuleArgs> rules,
      CustomResourceOptions child) {
    List<BucketLifecycleConfigurationV2RuleArgs> all = new ArrayList<>(rules);
    all.add(
        BucketLifecycleConfigurationV2RuleArgs.builder()
            .id("abort-incomplete-uploads")
            .status("Enabled")
            .filter(prefix(""))
            .abortIncompleteMultipartUpload(
                BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs.builder()
                    .daysAfterInitiation(7)
                    .build())
            .build());
    if (config.lakeVersioning()) {
      // Compaction and backfill replace whole days: old versions would otherwise stay forever.
      all.add(
          BucketLifecycleConfigurationV2RuleArgs.builder()
              .id("noncurrent-versions-expire")
              .status("Enabled")
              .filter(prefix(""))
              .noncurrentVersionExpiration(
                  BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs.builder()
                      .noncurrentDays(30)
                      .build())
              .build());
    }
    new BucketLifecycleConfigurationV2(
        name + "-lifecycle",
        BucketLifecycleConfigurationV2Args.builder().bucket(bucket.id()).rules(all).build(),
        child);
  }

  private static BucketLifecycleConfigurationV2RuleFilterArgs prefix(String prefix) {
    return BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(prefix).build();
  }

  /** The lake bucket's name. */
  public Output<String> lakeBucket() {
    return lake.bucket();
  }

  /** The lake bucket's ARN. */
  public Output<String> lakeBucketArn() {
    return lake.arn();
  }

  /** The ARN of the objects under one of the lake bucket's prefixes: {@code arn/prefix*}. */
  public Output<String> lakeObjects(String prefix) {
    return lake.arn().applyValue(arn -> arn + "/" + prefix + "*");
  }

  /** {@code s3://bucket/prefix} of the lake bucket, without a trailing slash. */
  public Output<String> lakeUri(String prefix) {
    return lake.bucket().applyValue(b -> ("s3://" + b + "/" + prefix).replaceAll("/+$", ""));
  }

  /** The results bucket's name. */
  public Output<String> resultsBucket() {
    return results.bucket();
  }

  /** The results bucket's ARN. */
  public Output<String> resultsBucketArn() {
    return results.arn();
  }
}
