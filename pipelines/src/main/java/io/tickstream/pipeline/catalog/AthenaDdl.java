package io.tickstream.pipeline.catalog;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Athena's DDL for a {@link LakeCatalog}: {@code CREATE DATABASE}, then a {@code CREATE EXTERNAL
 * TABLE} per dataset, Parquet, partitioned and projected, so the lake is queryable in Athena with
 * no crawler and no partition maintenance. The statements are Hive DDL as Athena documents it:
 * backquoted identifiers, Hive type names, single-quoted strings, {@code TBLPROPERTIES}; each ends
 * with {@code ;} and can be pasted into the console or run one by one through the API.
 */
public final class AthenaDdl {
  private AthenaDdl() {}

  /** Every statement of the catalog, separated by blank lines. */
  public static String of(LakeCatalog catalog) {
    StringBuilder ddl = new StringBuilder();
    ddl.append("CREATE DATABASE IF NOT EXISTS `")
        .append(catalog.database())
        .append("`\nCOMMENT 'tickstream lake at ")
        .append(quote(catalog.root()))
        .append("';\n");
    for (GlueTable table : catalog.tables()) {
      ddl.append('\n').append(createTable(table));
    }
    return ddl.toString();
  }

  /** The {@code CREATE EXTERNAL TABLE} statement of one table. */
  public static String createTable(GlueTable table) {
    StringBuilder sql = new StringBuilder();
    sql.append("CREATE EXTERNAL TABLE IF NOT EXISTS `")
        .append(table.database())
        .append("`.`")
        .append(table.name())
        .append("` (\n");
    sql.append(table.columns().stream().map(AthenaDdl::column).collect(Collectors.joining(",\n")));
    sql.append("\n)\nCOMMENT '").append(quote(table.description())).append("'\n");
    sql.append("PARTITIONED BY (\n")
        .append(
            table.partitionKeys().stream()
                .map(AthenaDdl::column)
                .collect(Collectors.joining(",\n")))
        .append("\n)\n");
    sql.append("STORED AS PARQUET\n");
    sql.append("LOCATION '").append(quote(table.location())).append("'\n");
    sql.append("TBLPROPERTIES (\n");
    sql.append(
        table.parameters().entrySet().stream()
            .filter(e -> !e.getKey().equals("EXTERNAL"))
            .map(AthenaDdl::property)
            .collect(Collectors.joining(",\n")));
    sql.append("\n);\n");
    return sql.toString();
  }

  private static String column(CatalogColumn c) {
    String line = "  `" + c.name() + "` " + c.hiveType();
    return c.comment().isEmpty() ? line : line + " COMMENT '" + quote(c.comment()) + "'";
  }

  private static String property(Map.Entry<String, String> e) {
    return "  '" + quote(e.getKey()) + "'='" + quote(e.getValue()) + "'";
  }

  /** A Hive string literal's body: quotes and backslashes escaped. */
  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
