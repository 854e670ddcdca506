package io.tickstream.pipeline.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One table of the Glue Data Catalog over a lake dataset: every field {@code aws.glue.CatalogTable}
 * (or Glue's {@code CreateTable} {@code TableInput}) needs, so a deployment passes it on and a
 * crawler never guesses. Partitions are projected ({@link #parameters()}), never registered.
 *
 * @param database the Glue database
 * @param name the table name: the dataset's name, e.g. {@code bars_1m}
 * @param description what the table holds
 * @param location the dataset's root, {@code s3://bucket/prefix/<dataset>/}
 * @param columns the data columns, in file order
 * @param partitionKeys the partition columns, outermost first
 * @param parameters the table parameters: {@code EXTERNAL}, {@code classification}, partition
 *     projection and {@code storage.location.template}; sorted by key
 */
public record GlueTable(
    String database,
    String name,
    String description,
    String location,
    List<CatalogColumn> columns,
    List<CatalogColumn> partitionKeys,
    Map<String, String> parameters) {

  /** Glue's table type for tables over files the catalog does not own. */
  public static final String TABLE_TYPE = "EXTERNAL_TABLE";

  /** The Parquet SerDe Athena uses for {@code STORED AS PARQUET}. */
  public static final String SERIALIZATION_LIBRARY =
      "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

  public static final String INPUT_FORMAT =
      "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";

  public static final String OUTPUT_FORMAT =
      "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

  public GlueTable {
    columns = List.copyOf(columns);
    partitionKeys = List.copyOf(partitionKeys);
    parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
  }

  /** Data columns, then partition columns: what {@code SELECT *} returns, in order. */
  public List<CatalogColumn> allColumns() {
    return java.util.stream.Stream.concat(columns.stream(), partitionKeys.stream()).toList();
  }
}
