package io.tickstream.pipeline.catalog;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.PartitionKey;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The catalog of a lake on S3: one {@link GlueTable} per {@link Dataset}, derived from the
 * datasets' Beam schemas and partition keys and nothing else, so the pipeline's files, the Glue
 * tables, Athena's DDL ({@link AthenaDdl}) and the DuckDB views cannot drift apart.
 *
 * <p>Partitions are found by <a
 * href="https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html">partition
 * projection</a>: {@code dt} as a {@code date} projection from {@link #firstDay()} to {@code NOW},
 * {@code hour} as an {@code integer} projection 0–23 with two digits, and a {@code
 * storage.location.template} of the dataset's Hive layout. A partition is queryable the moment its
 * files are written, with no crawler, {@code MSCK REPAIR TABLE} or {@code ALTER TABLE ADD
 * PARTITION}.
 */
public final class LakeCatalog {
  /** The default Glue database. */
  public static final String DEFAULT_DATABASE = "tickstream";

  /** The default first day of the {@code dt} projection. */
  public static final String DEFAULT_FIRST_DAY = "2020-01-01";

  /** What {@link #isDatabaseName} checks, said as an error's end. */
  public static final String DATABASE_RULE =
      "is not a Glue database name (1 to 255 lower-case letters, digits and _)";

  private static final Pattern DATABASE = Pattern.compile("[a-z0-9_]{1,255}");

  private static final Pattern S3_ROOT =
      Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?");

  private final String root;
  private final String database;
  private final LocalDate firstDay;

  private LakeCatalog(String root, String database, LocalDate firstDay) {
    this.root = root;
    this.database = database;
    this.firstDay = firstDay;
  }

  /**
   * The catalog of the lake at {@code root}.
   *
   * @param root {@code s3://bucket} or {@code s3://bucket/prefix} (trailing slashes dropped)
   * @param database the Glue database ({@link #DEFAULT_DATABASE})
   * @param firstDay the first day of the {@code dt} projection: no query sees data before it
   * @throws IllegalArgumentException naming what is wrong: a root that is not on S3 (Athena reads
   *     only S3), a database name Glue refuses
   */
  public static LakeCatalog of(String root, String database, LocalDate firstDay) {
    String trimmed = root.replaceAll("/+$", "");
    if (!S3_ROOT.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          "is not an S3 lake (s3://bucket/prefix): Glue and Athena read only S3");
    }
    if (!isDatabaseName(database)) {
      throw new IllegalArgumentException(DATABASE_RULE);
    }
    return new LakeCatalog(trimmed, database, firstDay);
  }

  /** True if Glue takes {@code name} as a database name. */
  public static boolean isDatabaseName(String name) {
    return DATABASE.matcher(name).matches();
  }

  /** The lake root, e.g. {@code s3://bucket/lake}, no trailing slash. */
  public String root() {
    return root;
  }

  /** The Glue database every table is in. */
  public String database() {
    return database;
  }

  /** The first day of the {@code dt} projection. */
  public LocalDate firstDay() {
    return firstDay;
  }

  /** Every dataset's table, in {@link Dataset#all()} order. */
  public List<GlueTable> tables() {
    return Dataset.all().stream().map(this::table).toList();
  }

  /** The table of one dataset. */
  public GlueTable table(Dataset<?> dataset) {
    String location = root + "/" + dataset.name() + "/";
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("EXTERNAL", "TRUE");
    parameters.put("classification", "parquet");
    parameters.put("parquet.compression", "SNAPPY");
    parameters.put("projection.enabled", "true");
    for (PartitionKey key : dataset.partitionKeys()) {
      parameters.putAll(projection(key));
    }
    parameters.put(
        "storage.location.template",
        location
            + dataset.partitionKeys().stream()
                .map(k -> k.column() + "=${" + k.column() + "}")
                .collect(Collectors.joining("/"))
            + "/");
    return new GlueTable(
        database,
        dataset.name(),
        dataset.description(),
        location,
        columns(dataset),
        partitionColumns(dataset),
        parameters);
  }

  /** The data columns of a dataset, in file order: its Beam schema's fields. */
  public static List<CatalogColumn> columns(Dataset<?> dataset) {
    return dataset.schema().getFields().stream().map(LakeCatalog::column).toList();
  }

  /** The partition columns of a dataset, outermost first. */
  public static List<CatalogColumn> partitionColumns(Dataset<?> dataset) {
    return dataset.partitionKeys().stream()
        .map(
            k ->
                new CatalogColumn(
                    k.column(), ColumnType.of(k), "partition: " + describe(k, dataset)))
        .toList();
  }

  private static CatalogColumn column(Schema.Field field) {
    return new CatalogColumn(
        field.getName(), ColumnType.of(field.getType()), field.getDescription());
  }

  private static String describe(PartitionKey key, Dataset<?> dataset) {
    switch (key) {
      case DT:
        return "UTC date of " + dataset.partitionField() + ", " + key.pattern();
      case HOUR:
        return "UTC hour of " + dataset.partitionField() + ", 00-23";
      default:
        throw new IllegalArgumentException(key.toString());
    }
  }

  private Map<String, String> projection(PartitionKey key) {
    String p = "projection." + key.column() + ".";
    Map<String, String> properties = new LinkedHashMap<>();
    switch (key) {
      case DT:
        properties.put(p + "type", "date");
        properties.put(p + "format", key.pattern());
        properties.put(p + "range", firstDay + ",NOW");
        properties.put(p + "interval", "1");
        properties.put(p + "interval.unit", "DAYS");
        break;
      case HOUR:
        properties.put(p + "type", "integer");
        properties.put(p + "range", "0,23");
        properties.put(p + "digits", "2");
        break;
      default:
        throw new IllegalArgumentException("no projection for partition key " + key);
    }
    return properties;
  }
}
