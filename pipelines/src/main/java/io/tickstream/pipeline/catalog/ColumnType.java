package io.tickstream.pipeline.catalog;

import io.tickstream.pipeline.model.PartitionKey;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The column types of the lake, each with its name in Glue/Athena (Hive DDL) and in DuckDB, and the
 * Beam schema type (or partition key) it comes from. A Parquet file the pipeline writes holds a
 * Beam {@code DATETIME} as {@code INT64} {@code TIMESTAMP(MILLIS, UTC)}, which Athena reads as
 * {@code timestamp} and DuckDB as {@code TIMESTAMP WITH TIME ZONE}.
 *
 * <p>Partition values live in directory names only. {@code dt} is a {@code string} as in AWS's
 * partition-projection examples ({@code yyyy-MM-dd} sorts as the date does, so {@code dt >=
 * '2025-01-01'} prunes in both engines), {@code hour} an {@code int}.
 */
public enum ColumnType {
  STRING("string", "VARCHAR"),
  BIGINT("bigint", "BIGINT"),
  INT("int", "INTEGER"),
  DOUBLE("double", "DOUBLE"),
  BOOLEAN("boolean", "BOOLEAN"),
  TIMESTAMP("timestamp", "TIMESTAMPTZ");

  private final String hive;
  private final String duckDb;

  ColumnType(String hive, String duckDb) {
    this.hive = hive;
    this.duckDb = duckDb;
  }

  /** The type's name in Hive DDL, Glue's {@code Column.Type} and Athena: e.g. {@code bigint}. */
  public String hive() {
    return hive;
  }

  /** The type DuckDB gives the column when it reads the lake's files: e.g. {@code BIGINT}. */
  public String duckDb() {
    return duckDb;
  }

  /**
   * The type of a field of a dataset's Beam schema.
   *
   * @throws IllegalArgumentException for a type the lake's files do not hold (logical types, rows,
   *     arrays, maps, bytes): the writers reject those too
   */
  public static ColumnType of(Schema.FieldType type) {
    switch (type.getTypeName()) {
      case STRING:
        return STRING;
      case INT64:
        return BIGINT;
      case INT32:
        return INT;
      case DOUBLE:
        return DOUBLE;
      case BOOLEAN:
        return BOOLEAN;
      case DATETIME:
        return TIMESTAMP;
      default:
        throw new IllegalArgumentException("no lake column type for Beam type " + type);
    }
  }

  /** The type of a partition column. */
  public static ColumnType of(PartitionKey key) {
    switch (key) {
      case DT:
        return STRING;
      case HOUR:
        return INT;
      default:
        throw new IllegalArgumentException("no column type for partition key " + key);
    }
  }
}
