package io.tickstream.pipeline.query;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lets DuckDB read an {@code s3://} lake: loads its {@code httpfs} extension and makes an S3 secret
 * from the standard AWS variables ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_SESSION_TOKEN}, {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}, and {@code
 * AWS_ENDPOINT_URL} for an S3-compatible store, read with path-style URLs).
 *
 * <p>DuckDB's JDBC driver does not bundle {@code httpfs}; DuckDB downloads it on {@code INSTALL
 * httpfs}. Where that cannot happen (no network to DuckDB's extension repository), reading an S3
 * lake fails before anything runs, with a line that says so and how to install it.
 */
final class S3Access {
  private S3Access() {}

  static void enable(Connection db, Map<String, String> env) throws LakeUnreadableException {
    try {
      try {
        execute(db, "LOAD httpfs");
      } catch (SQLException notInstalled) {
        try {
          execute(db, "INSTALL httpfs");
          execute(db, "LOAD httpfs");
        } catch (SQLException e) {
          throw new LakeUnreadableException(
              "DuckDB's httpfs extension, needed for s3:// lakes, is not installed and cannot be"
                  + " downloaded here ("
                  + LakeViews.firstLine(e)
                  + "); run INSTALL httpfs in DuckDB "
                  + db.getMetaData().getDatabaseProductVersion()
                  + " where it can download extensions, or copy httpfs.duckdb_extension into"
                  + " ~/.duckdb/extensions/, or query a local copy of the lake");
        }
      }
      execute(db, secret(env));
    } catch (SQLException e) {
      throw new LakeUnreadableException("cannot set up S3 access: " + LakeViews.firstLine(e), e);
    }
  }

  /** Runs {@code sql} in a statement of its own: DuckDB closes a statement that failed. */
  private static void execute(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  /** The {@code CREATE SECRET} statement for the environment's credentials and endpoint. */
  static String secret(Map<String, String> env) {
    List<String> parts = new ArrayList<>();
    parts.add("TYPE s3");
    String key = env.get("AWS_ACCESS_KEY_ID");
    if (key != null && !key.isEmpty()) {
      parts.add("KEY_ID " + literal(key));
      parts.add("SECRET " + literal(env.getOrDefault("AWS_SECRET_ACCESS_KEY", "")));
      String token = env.get("AWS_SESSION_TOKEN");
      if (token != null && !token.isEmpty()) {
        parts.add("SESSION_TOKEN " + literal(token));
      }
    }
    String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
    if (region != null && !region.isEmpty()) {
      parts.add("REGION " + literal(region));
    }
    String endpoint = env.get("AWS_ENDPOINT_URL");
    if (endpoint != null && !endpoint.isEmpty()) {
      boolean plain = endpoint.startsWith("http://");
      parts.add("ENDPOINT " + literal(endpoint.replaceFirst("^https?://", "")));
      parts.add("URL_STYLE 'path'");
      parts.add("USE_SSL " + !plain);
    }
    return "CREATE OR REPLACE SECRET tickstream_lake (" + String.join(", ", parts) + ")";
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
