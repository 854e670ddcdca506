package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.PartitionKey;
import io.tickstream.testing.S3rver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Reads a lake back with DuckDB, the way analysts will: {@code read_parquet} over every data file
 * under a dataset's directory with {@code hive_partitioning = true}, so partition columns come from
 * the directory names.
 *
 * <p>{@link #local} reads a lake on disk. DuckDB here has no {@code httpfs} and cannot read {@code
 * s3://}, so {@link #s3rver} reads what an s3rver stored instead: object {@code key} is the file
 * {@code <data dir>/<bucket>/<key>._S3rver_object}, key prefixes being directories, so the Hive
 * layout survives and only the file suffix differs.
 */
public final class LakeReader implements AutoCloseable {
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.createDefault();

  private final Path root;
  private final String fileSuffix;
  private final Connection duckdb;

  private LakeReader(Path root, String fileSuffix) {
    this.root = root;
    this.fileSuffix = fileSuffix;
    try {
      this.duckdb = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement s = duckdb.createStatement()) {
        s.execute("SET TimeZone = 'UTC'");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open DuckDB", e);
    }
  }

  /** Reads the lake whose root directory is {@code root}. */
  public static LakeReader local(Path root) {
    return new LakeReader(root, LakeFileNaming.SUFFIX);
  }

  /** Reads the lake {@code s3://<bucket>/<prefix>} from the s3rver's data directory. */
  public static LakeReader s3rver(S3rver server, String bucket, String prefix) {
    return new LakeReader(
        server.bucketDirectory(bucket).resolve(prefix),
        LakeFileNaming.SUFFIX + S3rver.OBJECT_SUFFIX);
  }

  /** Data files of {@code dataset} relative to its directory: {@code dt=…/part-….parquet}. */
  public List<String> files(Dataset<?> dataset) {
    Path dir = root.resolve(dataset.name());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .filter(f -> f.endsWith(fileSuffix))
          // Drop what a store appends to the lake's own name (s3rver's "._S3rver_object").
          .map(
              f ->
                  f.substring(0, f.length() - fileSuffix.length() + LakeFileNaming.SUFFIX.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DuckDB's column names and types, in file order, partition columns last. */
  Map<String, String> columnTypes(Dataset<?> dataset) {
    Map<String, String> types = new LinkedHashMap<>();
    query(
        "DESCRIBE SELECT * FROM " + source(dataset),
        rs -> types.put(rs.getString("column_name"), rs.getString("column_type")));
    return types;
  }

  /**
   * Every row with every column, partition columns included, ordered by all columns. Timestamps are
   * {@link java.time.Instant}s, {@code dt} a {@link java.time.LocalDate}, {@code hour} an int.
   */
  public List<Map<String, Object>> rows(Dataset<?> dataset) {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (files(dataset).isEmpty()) {
      return rows;
    }
    query(
        "SELECT * FROM " + source(dataset) + " ORDER BY ALL",
        rs -> {
          ResultSetMetaData meta = rs.getMetaData();
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            row.put(
                meta.getColumnName(i),
                value instanceof OffsetDateTime ? ((OffsetDateTime) value).toInstant() : value);
          }
          rows.add(row);
        });
    return rows;
  }

  /** Every row as the dataset's record class, through its Beam schema; partition columns unused. */
  public <T> List<T> records(Dataset<T> dataset) {
    Schema schema = dataset.schema();
    SerializableFunction<Row, T> fromRow;
    try {
      fromRow = SCHEMAS.getFromRowFunction(dataset.type());
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    List<T> records = new ArrayList<>();
    if (files(dataset).isEmpty()) {
      return records;
    }
    String columns =
        schema.getFieldNames().stream().map(n -> '"' + n + '"').collect(Collectors.joining(", "));
    query(
        "SELECT " + columns + " FROM " + source(dataset) + " ORDER BY ALL",
        rs -> {
          List<Object> values = new ArrayList<>();
          for (Schema.Field field : schema.getFields()) {
            values.add(beamValue(rs, field));
          }
          records.add(fromRow.apply(Row.withSchema(schema).addValues(values).build()));
        });
    return records;
  }

  /** The rows of the data files directly in {@code <dataset>/<partition>/}. */
  public long count(Dataset<?> dataset, String partition) {
    Path dir = root.resolve(dataset.name()).resolve(partition);
    long[] n = {0};
    try (Stream<Path> files = Files.list(dir)) {
      if (files.noneMatch(f -> f.getFileName().toString().endsWith(fileSuffix))) {
        return 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String glob = (dir + "/*" + fileSuffix).replace("'", "''");
    query("SELECT count(*) FROM read_parquet('" + glob + "')", rs -> n[0] = rs.getLong(1));
    return n[0];
  }

  /**
   * {@code columns} of every row, file by file (by name) in the order the rows are in the file,
   * each row prefixed with its file's path relative to the dataset.
   */
  public List<List<Object>> inFileOrder(Dataset<?> dataset, String... columns) {
    List<List<Object>> rows = new ArrayList<>();
    if (files(dataset).isEmpty()) {
      return rows;
    }
    String prefix = root.resolve(dataset.name()) + "/";
    query(
        "SELECT filename, "
            + String.join(", ", columns)
            + " FROM read_parquet('"
            + glob(dataset)
            + "', filename = true, file_row_number = true) ORDER BY filename, file_row_number",
        rs -> {
          List<Object> row = new ArrayList<>();
          row.add(rs.getString(1).substring(prefix.length()));
          for (int i = 0; i < columns.length; i++) {
            Object value = rs.getObject(i + 2);
            row.add(value instanceof OffsetDateTime ? ((OffsetDateTime) value).toInstant() : value);
          }
          rows.add(row);
        });
    return rows;
  }

  /**
   * The compression codecs of all column chunks of {@code dataset}'s files, e.g. {@code SNAPPY}.
   */
  Set<String> compressionCodecs(Dataset<?> dataset) {
    Set<String> codecs = new TreeSet<>();
    query(
        "SELECT DISTINCT compression FROM parquet_metadata('" + glob(dataset) + "')",
        rs -> codecs.add(rs.getString(1)));
    return codecs;
  }

  /**
   * The Parquet logical type of every timestamp column of {@code dataset}'s files, as DuckDB prints
   * it, e.g. {@code TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=...))}.
   */
  Map<String, String> timestampLogicalTypes(Dataset<?> dataset) {
    Map<String, String> types = new TreeMap<>();
    query(
        "SELECT DISTINCT name, logical_type FROM parquet_schema('"
            + glob(dataset)
            + "') WHERE logical_type LIKE 'TimestampType%'",
        rs -> types.put(rs.getString(1), rs.getString(2)));
    return types;
  }

  @Override
  public void close() throws SQLException {
    duckdb.close();
  }

  private String source(Dataset<?> dataset) {
    // Declared, not inferred: DuckDB infers VARCHAR for hour=00 but BIGINT when all hours are 10+.
    String hiveTypes =
        dataset.partitionKeys().stream()
            .map(k -> "'" + k.column() + "': " + (k == PartitionKey.DT ? "DATE" : "INTEGER"))
            .collect(Collectors.joining(", ", "{", "}"));
    return "read_parquet('"
        + glob(dataset)
        + "', hive_partitioning = true, hive_types = "
        + hiveTypes
        + ")";
  }

  /** All data files of {@code dataset}, as a quoted-ready DuckDB glob. */
  private String glob(Dataset<?> dataset) {
    return (root.resolve(dataset.name()) + "/**/*" + fileSuffix).replace("'", "''");
  }

  private static Object beamValue(ResultSet rs, Schema.Field field) throws SQLException {
    String column = field.getName();
    if (rs.getObject(column) == null) {
      return null;
    }
    switch (field.getType().getTypeName()) {
      case STRING:
        return rs.getString(column);
      case INT64:
        return rs.getLong(column);
      case DOUBLE:
        return rs.getDouble(column);
      case DATETIME:
        return new Instant(rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli());
      default:
        throw new IllegalStateException("no DuckDB mapping for " + field);
    }
  }

  private interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

  private void query(String sql, RowHandler handler) {
    try (Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        handler.accept(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed on: " + sql, e);
    }
  }
}
