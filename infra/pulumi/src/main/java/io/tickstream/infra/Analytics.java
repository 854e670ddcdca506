package io.tickstream.infra;

import com.pulumi.aws.athena.NamedQuery;
import com.pulumi.aws.athena.NamedQueryArgs;
import com.pulumi.aws.athena.Workgroup;
import com.pulumi.aws.athena.WorkgroupArgs;
import com.pulumi.aws.athena.inputs.WorkgroupConfigurationArgs;
import com.pulumi.aws.athena.inputs.WorkgroupConfigurationEngineVersionArgs;
import com.pulumi.aws.athena.inputs.WorkgroupConfigurationResultConfigurationArgs;
import com.pulumi.aws.athena.inputs.WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs;
import com.pulumi.aws.glue.CatalogDatabase;
import com.pulumi.aws.glue.CatalogDatabaseArgs;
import com.pulumi.aws.glue.CatalogTable;
import com.pulumi.aws.glue.CatalogTableArgs;
import com.pulumi.aws.glue.Crawler;
import com.pulumi.aws.glue.CrawlerArgs;
import com.pulumi.aws.glue.inputs.CatalogTablePartitionKeyArgs;
import com.pulumi.aws.glue.inputs.CatalogTableStorageDescriptorArgs;
import com.pulumi.aws.glue.inputs.CatalogTableStorageDescriptorColumnArgs;
import com.pulumi.aws.glue.inputs.CatalogTableStorageDescriptorSerDeInfoArgs;
import com.pulumi.aws.glue.inputs.CrawlerRecrawlPolicyArgs;
import com.pulumi.aws.glue.inputs.CrawlerS3TargetArgs;
import com.pulumi.aws.glue.inputs.CrawlerSchemaChangePolicyArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.tickstream.pipeline.catalog.GlueTable;
import io.tickstream.pipeline.catalog.LakeCatalog;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.query.ShippedQuery;
import java.util.List;
import java.util.Map;

/**
 * The catalog and analytics: the Glue database with one table per dataset as the pipeline's catalog
 * ({@link LakeCatalog}) defines it (partition projection, no crawler), an Athena workgroup that
 * enforces its result location, encryption and a bytes-scanned cutoff, and the shipped SQL ({@link
 * ShippedQuery}) as named queries; if configured, a crawler that catalogs the raw landing JSON.
 */
public final class Analytics extends ComponentResource {
  /** AWS's managed policy for Glue's service roles: the Data Catalog, Glue's logs and metrics. */
  public static final String GLUE_SERVICE_POLICY =
      "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole";

  /** The prefix of the tables the landing crawler creates, apart from the datasets' tables. */
  public static final String LANDING_TABLE_PREFIX = "landing_";

  private final CatalogDatabase database;
  private final Workgroup workgroup;

  public Analytics(
      String name,
      InfraConfig config,
      Lake lake,
      ComponentResourceOptions options) {
    super("tickstream:infra:Analytics", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    Output<LakeCatalog> catalog =
        lake.lakeUri(Lake.LAKE)
            .applyValue(root -> LakeCatalog.of(root, config.glueDatabase(), config.lakeFirstDay()));
    database =
        new CatalogDatabase(
            name + "-database",
            CatalogDatabaseArgs.builder()
                .name(config.glueDatabase())
                .description("tickstream lake, " + config.env())
                .build(),
            child);
    // The datasets are known now; only their location waits for the bucket's name.
    for (Dataset<?> dataset : Dataset.all()) {
      Output<GlueTable> table = catalog.applyValue(c -> c.table(dataset));
      new CatalogTable(
          name + "-table-" + dataset.name(),
          CatalogTableArgs.builder()
              .databaseName(database.name())
              .name(dataset.name())
              .description(dataset.description())
              .tableType(GlueTable.TABLE_TYPE)
              .parameters(table.applyValue(GlueTable::parameters))
              .partitionKeys(
                  table.applyValue(
                      t ->
                          t.partitionKeys().stream()
                              .map(
                                  c ->
                                      CatalogTablePartitionKeyArgs.builder()
                                          .name(c.name())
                                          .type(c.hiveType())
                                          .comment(c.comment())
                                          .build())
                              .toList()))
              .storageDescriptor(
                  CatalogTableStorageDescriptorArgs.builder()
                      .location(table.applyValue(GlueTable::location))
                      .inputFormat(GlueTable.INPUT_FORMAT)
                      .outputFormat(GlueTable.OUTPUT_FORMAT)
                      .serDeInfo(
                          CatalogTableStorageDescriptorSerDeInfoArgs.builder()
                              .serializationLibrary(GlueTable.SERIALIZATION_LIBRARY)
                              .parameters(Map.of("serialization.format", "1"))
                              .build())
                      .columns(
                          table.applyValue(
                              t ->
                                  t.columns().stream()
                                      .map(
                                          c ->
                                              CatalogTableStorageDescriptorColumnArgs.builder()
                                                  .name(c.name())
                                                  .type(c.hiveType())
                                                  .comment(c.comment())
                                                  .build())
                                      .toList()))
                      .build())
              .build(),
          child);
    }
    workgroup =
        new Workgroup(
            name + "-workgroup",
            WorkgroupArgs.builder()
                .name(config.prefix())
                .description("tickstream queries over the " + config.env() + " lake")
                .configuration(
                    WorkgroupConfigurationArgs.builder()
                        .enforceWorkgroupConfiguration(true)
                        .publishCloudwatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(
                            config.athenaBytesScannedCutoffMb() * 1024 * 1024)
                        .engineVersion(
                            WorkgroupConfigurationEngineVersionArgs.builder()
                                .selectedEngineVersion("Athena engine version 3")
                                .build())
                        .resultConfiguration(
                            WorkgroupConfigurationResultConfigurationArgs.builder()
                                .outputLocation(
                                    lake.resultsBucket()
                                        .applyValue(b -> "s3://" + b + "/" + Lake.ATHENA_RESULTS))
                                .encryptionConfiguration(
                                    WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs
                                        .builder()
                                        .encryptionOption("SSE_S3")
                                        .build())
                                .build())
                        .build())
                .build(),
            child);
    for (ShippedQuery query : ShippedQuery.all()) {
      new NamedQuery(
          name + "-query-" + query.name(),
          NamedQueryArgs.builder()
              .name(query.name())
              .description(query.description())
              .database(database.name())
              .workgroup(workgroup.name())
              .query(query.sql())
              .build(),
          child);
    }
    if (config.landingCrawler()) {
      landingCrawler(name, config, lake, child);
    }
    registerOutputs(Map.of("database", database.name(), "workgroup", workgroup.name()));
  }

  /**
   * A crawler of the landing files into {@code landing_*} tables of the database, with a role that
   * reads {@code landing/} only: new folders only, schema changes and deletions only logged.
   */
  private void landingCrawler(
      String name, InfraConfig config, Lake lake, CustomResourceOptions child) {
    Role role =
        new Role(
            name + "-landing-crawler-role",
            RoleArgs.builder()
                .description("The landing crawler: reads landing/, writes the Glue database")
                // No aws:SourceAccount condition: Glue's guide shows this trust without one and
                // documents no source context for a crawler's role, so a condition could keep
                // the crawler from assuming it. PassRole to Glue stays within the account.
                .assumeRolePolicy(PolicyDocument.assumedBy("glue.amazonaws.com"))
                .build(),
            child);
    RolePolicyAttachment service =
        new RolePolicyAttachment(
            name + "-landing-crawler-service-policy",
            RolePolicyAttachmentArgs.builder()
                .role(role.name())
                .policyArn(GLUE_SERVICE_POLICY)
                .build(),
            child);
    RolePolicy read =
        new RolePolicy(
            name + "-landing-crawler-policy",
            RolePolicyArgs.builder()
                .role(role.id())
                .policy(
                    PolicyDocument.create()
                        .allow(
                            "ListLanding",
                            List.of("s3:ListBucket"),
                            List.of(lake.lakeBucketArn()),
                            Map.of("StringLike", Map.of("s3:prefix", Lake.LANDING + "*")))
                        .allow(
                            "ReadLanding",
                            List.of("s3:GetObject"),
                            List.of(lake.lakeObjects(Lake.LANDING)))
                        .json())
                .build(),
            child);
    CrawlerArgs.Builder crawler =
        CrawlerArgs.builder()
            .name(config.prefix() + "-landing")
            .description("Raw landing JSON into " + LANDING_TABLE_PREFIX + "* tables")
            .role(role.arn())
            .databaseName(database.name())
            .tablePrefix(LANDING_TABLE_PREFIX)
            .s3Targets(
                CrawlerS3TargetArgs.builder()
                    .path(lake.lakeBucket().applyValue(b -> "s3://" + b + "/" + Lake.LANDING))
                    .build())
            // Crawling new folders only takes LOG for both: a changed schema or a deleted
            // (expired) landing file is logged, the tables are left as they are.
            .schemaChangePolicy(
                CrawlerSchemaChangePolicyArgs.builder()
                    .updateBehavior("LOG")
                    .deleteBehavior("LOG")
                    .build())
            .recrawlPolicy(
                CrawlerRecrawlPolicyArgs.builder()
                    .recrawlBehavior("CRAWL_NEW_FOLDERS_ONLY")
                    .build());
    // No schedule: it runs when started (aws glue start-crawler).
    config.landingCrawlerCron().ifPresent(crawler::schedule);
    new Crawler(
        name + "-landing-crawler",
        crawler.build(),
        // Its first run, if scheduled, must find the role's permissions in place.
        CustomResourceOptions.builder().parent(this).dependsOn(service, read).build());
  }

  /** The Glue database's name. */
  public Output<String> databaseName() {
    return database.name();
  }

  /** The Athena workgroup's name. */
  public Output<String> workgroupName() {
    return workgroup.name();
  }
}
