package io.tickstream.pipeline.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * How a query's rows are printed: {@code table} (aligned columns for a person), {@code csv} (RFC
 * 4180 with a header row, for spreadsheets and scripts) or {@code json} (an array of objects, one
 * per row, numbers as numbers). Times are ISO-8601 in UTC, as the lake stores them.
 */
public enum ResultFormat {
  TABLE,
  CSV,
  JSON;

  /** Rows shown by {@code table} before it says how many more there were. */
  static final int TABLE_ROW_LIMIT = 10_000;

  /** Prints every row of {@code rows}; returns how many there were. */
  public long print(ResultSet rows, PrintWriter out) throws SQLException, IOException {
    ResultSetMetaData meta = rows.getMetaData();
    int n = meta.getColumnCount();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add(meta.getColumnLabel(i));
    }
    switch (this) {
      case TABLE:
        return table(rows, names, out);
      case CSV:
        return csv(rows, names, out);
      case JSON:
        return json(rows, names, out);
      default:
        throw new IllegalStateException(name());
    }
  }

  private static long table(ResultSet rows, List<String> names, PrintWriter out)
      throws SQLException {
    int n = names.size();
    List<String[]> cells = new ArrayList<>();
    boolean[] numeric = new boolean[n];
    java.util.Arrays.fill(numeric, true);
    long count = 0;
    while (rows.next()) {
      count++;
      if (cells.size() >= TABLE_ROW_LIMIT) {
        continue;
      }
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = rows.getObject(i + 1);
        row[i] = text(v);
        numeric[i] &= v == null || v instanceof Number;
      }
      cells.add(row);
    }
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = names.get(i).length();
      for (String[] row : cells) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder rule = new StringBuilder();
    String[] header = names.toArray(new String[0]);
    out.println(line(header, width, new boolean[n]));
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (String[] row : cells) {
      out.println(line(row, width, numeric));
    }
    if (count > cells.size()) {
      out.printf("... %,d more rows not shown (use --format csv or json)%n", count - cells.size());
    }
    out.printf("(%,d row%s)%n", count, count == 1 ? "" : "s");
    return count;
  }

  private static String line(String[] row, int[] width, boolean[] right) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      String pad = " ".repeat(width[i] - row[i].length());
      b.append(i == 0 ? "" : " | ").append(right[i] ? pad + row[i] : row[i] + pad);
    }
    return b.toString().stripTrailing();
  }

  private static long csv(ResultSet rows, List<String> names, PrintWriter out) throws SQLException {
    out.println(String.join(",", names.stream().map(ResultFormat::csvCell).toList()));
    long count = 0;
    while (rows.next()) {
      count++;
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < names.size(); i++) {
        Object v = rows.getObject(i + 1);
        b.append(i == 0 ? "" : ",").append(v == null ? "" : csvCell(text(v)));
      }
      out.println(b);
    }
    return count;
  }

  private static String csvCell(String s) {
    boolean quote =
        s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static long json(ResultSet rows, List<String> names, PrintWriter out)
      throws SQLException, IOException {
    JsonFactory factory = new JsonFactory();
    long count = 0;
    out.print("[");
    while (rows.next()) {
      StringWriter row = new StringWriter();
      try (JsonGenerator g = factory.createGenerator(row)) {
        g.writeStartObject();
        for (int i = 0; i < names.size(); i++) {
          g.writeFieldName(names.get(i));
          jsonValue(g, rows.getObject(i + 1));
        }
        g.writeEndObject();
      }
      out.print(count++ == 0 ? "\n" : ",\n");
      out.print(row);
    }
    out.println(count == 0 ? "]" : "\n]");
    return count;
  }

  private static void jsonValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      g.writeString(d.toString());
    } else if (v instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (v instanceof Number num) {
      g.writeNumber(num.toString());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(text(v));
    }
  }

  /** A value as text: times in ISO-8601 UTC, numbers as Java prints them. */
  static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof OffsetDateTime t) {
      return t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT);
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof BigDecimal bd) {
      return bd.toPlainString();
    }
    return v.toString();
  }
}
