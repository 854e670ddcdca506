package io.tickstream.pipeline.catalog;

import java.util.Objects;

/**
 * A column as the catalog declares it to Glue, Athena and DuckDB.
 *
 * @param name the column name, lower snake case as in the Parquet files
 * @param type the Hive type Glue and Athena take, e.g. {@code bigint} ({@link ColumnType})
 * @param comment what the column holds, from the dataset's Beam schema; empty when it says nothing
 */
public record CatalogColumn(String name, ColumnType type, String comment) {
  public CatalogColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    comment = comment == null ? "" : comment;
  }

  /**
   * The Hive type name, e.g. {@code timestamp}: what {@code aws.glue.CatalogTable} columns take.
   */
  public String hiveType() {
    return type.hive();
  }
}
