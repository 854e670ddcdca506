package io.tickstream.pipeline.query;

import io.tickstream.pipeline.catalog.CatalogColumn;
import io.tickstream.pipeline.catalog.LakeCatalog;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.PartitionKey;
import io.tickstream.pipeline.sink.datalake.SuccessMarker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * DuckDB views over a lake, one per {@link Dataset}, named and typed as the Athena tables are
 * ({@link LakeCatalog}): the dataset's columns in file order, then its partition columns read from
 * the Hive directory names ({@code dt} a {@code VARCHAR}, {@code hour} an {@code INTEGER}), so the
 * same SQL runs in Athena and on a laptop, and a filter on {@code dt} opens only those partitions'
 * files.
 *
 * <p>A view reads the Parquet files of the dataset's partition directories, skipping every name
 * that starts with {@code _} or {@code .} (markers, staging and replaced directories, in-progress
 * files). With {@code committedOnly} it reads only partitions with a {@code _SUCCESS} marker, and
 * in them exactly the files the marker names: what a reader following the commit protocol sees on
 * any store, even while an S3 commit is removing the previous files. Files are listed when the
 * views are made: files written afterwards appear when they are made again.
 */
public final class LakeViews {
  private LakeViews() {}

  /**
   * Makes the views of the lake at {@code root} in {@code db}.
   *
   * @param root a local directory or {@code s3://bucket/prefix}, no trailing slash
   * @param env the environment: an {@code s3://} lake is reached with its AWS variables ({@link
   *     S3Access})
   * @return the files each view reads, by dataset name
   * @throws LakeUnreadableException when the lake cannot be read, saying why in one line (the lake
   *     itself not named)
   */
  public static Map<String, List<String>> create(
      Connection db, String root, boolean committedOnly, Map<String, String> env)
      throws LakeUnreadableException {
    try (Statement s = db.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      if (root.startsWith("s3://")) {
        S3Access.enable(db, env);
      } else if (root.contains("://")) {
        throw new LakeUnreadableException("DuckDB reads local and s3:// lakes only");
      }
      Map<String, List<String>> read = new TreeMap<>();
      for (Dataset<?> dataset : Dataset.all()) {
        String dir = root + "/" + dataset.name();
        List<String> files =
            committedOnly ? committedFiles(db, dataset, dir) : listedFiles(db, dataset, dir);
        s.execute(view(dataset, files));
        read.put(dataset.name(), files);
      }
      return read;
    } catch (SQLException | IllegalArgumentException e) {
      throw new LakeUnreadableException(firstLine(e), e);
    }
  }

  /**
   * The {@code CREATE VIEW} of a dataset over {@code files}; typed and empty when there are none.
   */
  static String view(Dataset<?> dataset, List<String> files) {
    List<CatalogColumn> columns = new ArrayList<>(LakeCatalog.columns(dataset));
    columns.addAll(LakeCatalog.partitionColumns(dataset));
    String select;
    if (files.isEmpty()) {
      select =
          "SELECT "
              + columns.stream()
                  .map(c -> "CAST(NULL AS " + c.type().duckDb() + ") AS " + identifier(c.name()))
                  .collect(Collectors.joining(", "))
              + " WHERE false";
    } else {
      select =
          "SELECT "
              + columns.stream().map(c -> identifier(c.name())).collect(Collectors.joining(", "))
              + " FROM read_parquet(["
              + files.stream().map(LakeViews::literal).collect(Collectors.joining(", "))
              + "], hive_partitioning = true, hive_types = {"
              + LakeCatalog.partitionColumns(dataset).stream()
                  .map(c -> literal(c.name()) + ": " + c.type().duckDb())
                  .collect(Collectors.joining(", "))
              + "})";
    }
    return "CREATE OR REPLACE VIEW " + identifier(dataset.name()) + " AS " + select;
  }

  /** The data files a listing of the dataset's partition directories shows, sorted. */
  private static List<String> listedFiles(Connection db, Dataset<?> dataset, String dir)
      throws SQLException {
    return glob(db, leafPattern(dataset, dir) + "/*.parquet").stream()
        .filter(LakeViews::visible)
        .toList();
  }

  /** The files named by the markers of the dataset's committed leaf partitions, sorted. */
  private static List<String> committedFiles(Connection db, Dataset<?> dataset, String dir)
      throws SQLException {
    List<String> files = new ArrayList<>();
    for (String marker : glob(db, leafPattern(dataset, dir) + "/" + SuccessMarker.NAME)) {
      String leaf = marker.substring(0, marker.length() - SuccessMarker.NAME.length());
      SuccessMarker parsed =
          SuccessMarker.parse(readText(db, marker).getBytes(StandardCharsets.UTF_8), marker);
      for (String name : parsed.fileNames()) {
        files.add(leaf + name);
      }
    }
    files.sort(null);
    return files;
  }

  private static String leafPattern(Dataset<?> dataset, String dir) {
    return dir
        + dataset.partitionKeys().stream()
            .map(PartitionKey::column)
            .map(c -> "/" + c + "=*")
            .collect(Collectors.joining());
  }

  /** True unless a path segment below a partition starts with {@code _} or {@code .}. */
  private static boolean visible(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    return !name.startsWith("_") && !name.startsWith(".");
  }

  private static List<String> glob(Connection db, String pattern) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = db.prepareStatement("SELECT file FROM glob(?) ORDER BY file")) {
      s.setString(1, pattern);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1).replace('\\', '/'));
        }
      }
    }
    return out;
  }

  private static String readText(Connection db, String file) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("SELECT content FROM read_text(?)")) {
      s.setString(1, file);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException(file + " vanished while it was read");
        }
        return rs.getString(1);
      }
    }
  }

  /** A double-quoted SQL identifier (both DuckDB and Trino read it so). */
  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
