package io.tickstream.pipeline.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tickstream.pipeline.PipelineLake;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.query.LakeQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalog is what the pipeline writes: every Parquet file of every dataset in a lake the
 * streaming pipeline made has, in its footer, exactly the columns the catalog declares, in order,
 * with the Parquet types that Athena and DuckDB read as the declared types; and the query views
 * have exactly the catalog's columns and types.
 */
class LakeFilesMatchCatalogTest {

  @Test
  void everyFileOfEveryDatasetHasTheCatalogsColumnsAndTypes() throws Exception {
    Path root = PipelineLake.get().root();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      for (Dataset<?> dataset : Dataset.all()) {
        List<String> expected =
            LakeCatalog.columns(dataset).stream().map(c -> c.name() + " " + c.hiveType()).toList();
        List<Path> files = parquetFiles(root.resolve(dataset.name()));
        assertFalse(files.isEmpty(), dataset.name() + " has files");
        for (Path file : files) {
          assertEquals(expected, footerColumns(db, file), file.toString());
        }
      }
    }
  }

  @Test
  void theQueryViewsHaveTheCatalogsColumnsAndTypes() throws Exception {
    try (LakeQuery query = LakeQuery.open(PipelineLake.get().root().toString(), false, Map.of());
        Statement s = query.connection().createStatement()) {
      for (Dataset<?> dataset : Dataset.all()) {
        List<String> expected = new ArrayList<>();
        for (CatalogColumn c : LakeCatalog.columns(dataset)) {
          expected.add(c.name() + " " + c.type().duckDb());
        }
        for (CatalogColumn c : LakeCatalog.partitionColumns(dataset)) {
          expected.add(c.name() + " " + c.type().duckDb());
        }
        List<String> actual = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("DESCRIBE \"" + dataset.name() + "\"")) {
          while (rs.next()) {
            actual.add(
                rs.getString("column_name")
                    + " "
                    + rs.getString("column_type")
                        .replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"));
          }
        }
        assertEquals(expected, actual, dataset.name());
      }
    }
  }

  /** The footer's leaf columns as {@code name hive_type}, the type read from the Parquet types. */
  private static List<String> footerColumns(Connection db, Path file) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s =
        db.prepareStatement(
            "SELECT name, type, converted_type, logical_type FROM parquet_schema(?)"
                + " WHERE num_children IS NULL OR num_children = 0")) {
      s.setString(1, file.toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              rs.getString(1)
                  + " "
                  + hiveType(rs.getString(2), rs.getString(3), rs.getString(4), file));
        }
      }
    }
    return out;
  }

  /** The Hive type Athena gives a Parquet column of these types. */
  private static String hiveType(String physical, String converted, String logical, Path file) {
    String key = physical + "/" + converted;
    switch (key) {
      case "BYTE_ARRAY/UTF8":
        return "string";
      case "INT64/null":
        return "bigint";
      case "INT32/null":
        return "int";
      case "DOUBLE/null":
        return "double";
      case "BOOLEAN/null":
        return "boolean";
      case "INT64/TIMESTAMP_MILLIS":
      case "INT64/TIMESTAMP_MICROS":
        if (!logical.contains("isAdjustedToUTC=1")) {
          return "timestamp without UTC adjustment (" + logical + ")";
        }
        return "timestamp";
      default:
        return "unexpected Parquet type " + key + " " + logical + " in " + file;
    }
  }

  private static List<Path> parquetFiles(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("_"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }
}
