package io.tickstream.pipeline.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL over a lake on this machine: an in-memory DuckDB with the lake's {@link LakeViews}, the
 * tables named as in Athena. Closing it closes DuckDB; the lake is only read.
 */
public final class LakeQuery implements AutoCloseable {
  private final Connection db;
  private final Map<String, List<String>> files;

  private LakeQuery(Connection db, Map<String, List<String>> files) {
    this.db = db;
    this.files = files;
  }

  /**
   * Opens DuckDB over the lake at {@code root}.
   *
   * @param committedOnly read only partitions with a {@code _SUCCESS} marker, and the files it
   *     names
   * @param env the environment, for an {@code s3://} lake's credentials and endpoint
   */
  public static LakeQuery open(String root, boolean committedOnly, Map<String, String> env)
      throws LakeUnreadableException {
    Connection db;
    try {
      db = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new LakeUnreadableException("cannot start DuckDB: " + LakeViews.firstLine(e), e);
    }
    try {
      return new LakeQuery(db, LakeViews.create(db, root, committedOnly, env));
    } catch (LakeUnreadableException | RuntimeException e) {
      try {
        db.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The DuckDB connection with the views. */
  public Connection connection() {
    return db;
  }

  /** The files each dataset's view reads, by dataset name. */
  public Map<String, List<String>> files() {
    return files;
  }

  /** Prepares {@code sql} with {@code parameters} bound to its {@code ?}s in order, as strings. */
  public PreparedStatement prepare(String sql, List<String> parameters) throws SQLException {
    PreparedStatement statement = db.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setString(i + 1, parameters.get(i));
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  /** Every row of {@code sql}, each a map from column label to the JDBC value, in order. */
  public List<Map<String, Object>> rows(String sql, List<String> parameters) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement s = prepare(sql, parameters);
        ResultSet rs = s.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
