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
import com.pulumi.aws.glue.inputs.CatalogTablePartitionKeyArgs;
import com.pulumi.aws.glue.inputs.CatalogTableStorageDescriptorArgs;
import com.pulumi.aws.glue.inputs.CatalogTableStorageDescriptorColumnArgs;
import com.pulumi.aws.glue.inputs.CatalogTableStorageDescriptorSerDeInfoArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.tickstream.pipeline.catalog.GlueTable;
import io.tickstream.pipeline.catalog.LakeCatalog;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.query.ShippedQuery;
import java.util.Map;

/**
 * The catalog and analytics: the Glue database with one table per dataset as the pipeline's catalog
 * ({@link LakeCatalog}) defines it (partition projection, no crawler), an Athena workgroup that
 * enforces its result location, encryption and a bytes-scanned cutoff, and the shipped SQL ({@link
 * ShippedQuery}) as named queries.
 */
public final class Analytics extends ComponentResource {
  private final CatalogDatabase database;
  private final Workgroup workgroup;

  public Analytics(String name, InfraConfig config, Lake lake, ComponentResourceOptions options) {
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
    registerOutputs(Map.of("database", database.name(), "workgroup", workgroup.name()));
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
