package io.tickstream.pipeline.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A query shipped with tickstream ({@code pipelines/src/main/sql/NAME.sql}), in SQL that Athena
 * engine 3 (Trino) and DuckDB both accept, over the tables of the catalog. The file's leading
 * comment lines say what it answers; a line {@code -- param NAME: what} declares a parameter, one
 * per {@code ?} in the text, in order.
 *
 * @param name the file name without {@code .sql}, e.g. {@code strategy_results}
 * @param description the leading comment, joined into one text
 * @param parameters the declared parameters, in the order of their {@code ?}
 * @param sql the whole file
 */
public record ShippedQuery(
    String name, String description, List<Parameter> parameters, String sql) {

  /** A {@code ?} of the query: its name and what value it takes. */
  public record Parameter(String name, String description) {}

  /** Where the queries are on the class path. */
  static final String RESOURCE_DIR = "io/tickstream/sql";

  private static final Pattern PARAM = Pattern.compile("--\\s*param\\s+([a-z_]+)\\s*:\\s*(.*)");

  /** Every shipped query, by name. */
  public static List<ShippedQuery> all() {
    List<ShippedQuery> out = new ArrayList<>();
    for (Map.Entry<String, String> file : resources().entrySet()) {
      out.add(parse(file.getKey(), file.getValue()));
    }
    return out;
  }

  /** The shipped query called {@code name}, or null. */
  public static ShippedQuery named(String name) {
    return all().stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
  }

  /** Reads a query file's text. */
  public static ShippedQuery parse(String name, String sql) {
    List<String> description = new ArrayList<>();
    List<Parameter> parameters = new ArrayList<>();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.startsWith("--")) {
        break;
      }
      Matcher m = PARAM.matcher(trimmed);
      if (m.matches()) {
        parameters.add(new Parameter(m.group(1), m.group(2).strip()));
      } else {
        description.add(trimmed.substring(2).strip());
      }
    }
    return new ShippedQuery(name, String.join(" ", description), List.copyOf(parameters), sql);
  }

  /** The query's text without its trailing semicolon and blank lines: one statement to run. */
  public String statement() {
    return sql.strip().replaceAll(";$", "");
  }

  private static Map<String, String> resources() {
    URL dir = ShippedQuery.class.getClassLoader().getResource(RESOURCE_DIR);
    if (dir == null) {
      throw new IllegalStateException(RESOURCE_DIR + " is not on the class path");
    }
    try {
      URI uri = dir.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem jar;
        try {
          jar = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          jar = FileSystems.getFileSystem(uri);
        }
        return read(jar.getPath(RESOURCE_DIR));
      }
      return read(Path.of(uri));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot list the shipped queries in " + dir, e);
    }
  }

  private static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String file = p.getFileName().toString();
        if (file.endsWith(".sql")) {
          try (InputStream in = Files.newInputStream(p)) {
            files.put(
                file.substring(0, file.length() - ".sql".length()),
                new String(in.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return files;
  }
}
