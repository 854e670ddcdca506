package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import io.tickstream.pipeline.query.LakeQuery;
import io.tickstream.pipeline.query.LakeUnreadableException;
import io.tickstream.pipeline.query.ResultFormat;
import io.tickstream.pipeline.query.ShippedQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tickstream query}: SQL over the lake on this machine, with the tables Athena has. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Runs SQL over the lake with DuckDB. The tables are named and typed as in Athena (ticks,"
          + " bars_1m, signals, positions, trades, dead_letter), partitioned by dt (a yyyy-MM-dd"
          + " string) and hour (an integer): a filter on dt reads only those days' files.",
      "With neither SQL nor --file it reads statements ending in ';' from the terminal (or from"
          + " stdin when that is not a terminal).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  tickstream query \"SELECT symbol, count(*) FROM bars_1m GROUP BY symbol\"",
      "  tickstream query --list",
      "  tickstream query --file strategy_results --format csv",
      "  tickstream query --file volume_by_symbol --param day=2024-01-02",
      "  tickstream query --lake s3://my-bucket/lake --committed-only --file dead_letters_by_reason"
    })
final class QueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--lake",
      paramLabel = "DIR|s3://BUCKET/PREFIX",
      defaultValue = "./lake",
      description =
          "The lake to read. An s3:// lake is read with the AWS_* environment variables"
              + " (AWS_ENDPOINT_URL for an S3-compatible store).")
  String lake;

  @Option(
      names = "--file",
      paramLabel = "FILE|NAME",
      description = "Runs the SQL in FILE, or the shipped query NAME (see --list).")
  String file;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description =
          "A value for a '-- param NAME: ...' of the --file query; repeat for each parameter.")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "table|csv|json",
      defaultValue = "table",
      description = "How rows are printed: aligned columns, CSV with a header, or a JSON array.")
  String format;

  @Option(
      names = "--committed-only",
      description =
          "Reads only partitions with a _SUCCESS marker, and in them only the files it names.")
  boolean committedOnly;

  @Option(names = "--list", description = "Lists the shipped queries and their parameters.")
  boolean list;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The statement to run.")
  String sql;

  private final Map<String, String> env;
  private final InputStream stdin;
  private final boolean terminal;

  /**
   * @param env the environment, for an {@code s3://} lake's AWS settings
   * @param stdin where the prompt reads statements
   * @param terminal true when a person types at {@code stdin}: then the prompt greets and prompts
   */
  QueryCommand(Map<String, String> env, InputStream stdin, boolean terminal) {
    this.env = env;
    this.stdin = stdin;
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException, SQLException {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      listQueries(out);
      return 0;
    }
    ResultFormat resultFormat = Flags.parse(spec, "--format", format, QueryCommand::resultFormat);
    Statement statement = statement();
    try (LakeQuery query = openLake(spec, lake, committedOnly, env)) {
      if (statement == null) {
        return prompt(query, resultFormat, out);
      }
      run(query, statement, resultFormat, out);
      return 0;
    }
  }

  /** One statement to run and its values, checked against the flags. */
  record Statement(String sql, List<String> values) {}

  /** The statement the flags give, or null for the prompt; every mistake named before any run. */
  Statement statement() throws IOException {
    if (sql != null && file != null) {
      throw Flags.invalid(spec, "--file", file, "cannot be given with SQL as well; give one");
    }
    if (file == null) {
      if (!params.isEmpty()) {
        throw Flags.invalid(
            spec, "--param", params.get(0), "applies to a --file query's '-- param' lines only");
      }
      return sql == null ? null : new Statement(sql, List.of());
    }
    ShippedQuery query = shippedOrFile(file);
    Map<String, String> given = new LinkedHashMap<>();
    for (String p : params) {
      String[] kv = Flags.keyValue(spec, "--param", p);
      boolean declared = query.parameters().stream().anyMatch(d -> d.name().equals(kv[0]));
      if (!declared) {
        throw Flags.invalid(
            spec, "--param", p, "names no parameter of " + query.name() + ": " + takes(query));
      }
      given.put(kv[0], kv[1]);
    }
    List<String> values = new ArrayList<>();
    for (ShippedQuery.Parameter p : query.parameters()) {
      String v = given.get(p.name());
      if (v == null) {
        throw new ParameterException(
            spec.commandLine(),
            "Missing required option: '--param "
                + p.name()
                + "=VALUE' for "
                + query.name()
                + " ("
                + p.name()
                + ": "
                + p.description()
                + ")");
      }
      values.add(v);
    }
    return new Statement(query.statement(), values);
  }

  private ShippedQuery shippedOrFile(String nameOrPath) throws IOException {
    ShippedQuery shipped = ShippedQuery.named(nameOrPath);
    if (shipped != null) {
      return shipped;
    }
    Path path = Path.of(nameOrPath);
    if (!Files.isRegularFile(path)) {
      throw Flags.invalid(
          spec,
          "--file",
          nameOrPath,
          "is neither a file nor a shipped query (those are: "
              + String.join(", ", ShippedQuery.all().stream().map(ShippedQuery::name).toList())
              + ")");
    }
    String name = path.getFileName().toString().replaceAll("\\.sql$", "");
    return ShippedQuery.parse(name, Files.readString(path, StandardCharsets.UTF_8));
  }

  /**
   * Opens DuckDB over the {@code --lake} of a command; a lake that is missing or cannot be read is
   * a one-line error naming the flag.
   */
  static LakeQuery openLake(
      CommandSpec spec, String lake, boolean committedOnly, Map<String, String> env) {
    if (!lake.contains("://") && !Files.isDirectory(Path.of(lake))) {
      throw Flags.invalid(
          spec, "--lake", lake, "is not a directory (write one with tickstream demo or stream)");
    }
    try {
      return LakeQuery.open(lake.replaceAll("/+$", ""), committedOnly, env);
    } catch (LakeUnreadableException e) {
      throw Flags.invalid(spec, "--lake", lake, "cannot be read: " + e.getMessage());
    }
  }

  private void run(LakeQuery query, Statement statement, ResultFormat format, PrintWriter out)
      throws IOException {
    try (PreparedStatement s = query.prepare(statement.sql(), statement.values());
        ResultSet rows = s.executeQuery()) {
      format.print(rows, out);
      out.flush();
    } catch (SQLException e) {
      throw new ParameterException(spec.commandLine(), "SQL: " + firstLine(e));
    }
  }

  /** Statements ending in {@code ;} from stdin until {@code quit}, {@code exit} or its end. */
  private int prompt(LakeQuery query, ResultFormat format, PrintWriter out) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (terminal) {
      err.println(
          "tickstream query over "
              + lake
              + ": tables "
              + String.join(", ", query.files().keySet())
              + "; end a statement with ';', quit with 'quit' or Ctrl-D.");
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    StringBuilder pending = new StringBuilder();
    int failures = 0;
    while (true) {
      if (terminal) {
        err.print(pending.isEmpty() ? "tickstream> " : "        ...> ");
        err.flush();
      }
      String line = in.readLine();
      if (line == null) {
        break;
      }
      String trimmed = line.strip();
      if (pending.isEmpty()
          && (trimmed.equalsIgnoreCase("quit") || trimmed.equalsIgnoreCase("exit"))) {
        break;
      }
      pending.append(line).append('\n');
      if (!trimmed.endsWith(";")) {
        continue;
      }
      String text = pending.toString().strip().replaceAll(";$", "");
      pending.setLength(0);
      try {
        run(query, new Statement(text, List.of()), format, out);
      } catch (ParameterException e) {
        err.println(e.getMessage());
        err.flush();
        failures++;
      }
    }
    if (!pending.toString().isBlank()) {
      err.println(
          "ignored an unfinished statement (no ';' at its end): " + pending.toString().strip());
      failures++;
    }
    return terminal || failures == 0 ? 0 : 1;
  }

  private void listQueries(PrintWriter out) {
    for (ShippedQuery q : ShippedQuery.all()) {
      out.println(q.name());
      out.println("    " + q.description());
      for (ShippedQuery.Parameter p : q.parameters()) {
        out.println("    --param " + p.name() + "=VALUE  " + p.description());
      }
    }
    out.flush();
  }

  private static String takes(ShippedQuery q) {
    return q.parameters().isEmpty()
        ? "it takes none"
        : "it takes "
            + String.join(", ", q.parameters().stream().map(ShippedQuery.Parameter::name).toList());
  }

  static ResultFormat resultFormat(String s) {
    try {
      return ResultFormat.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be table, csv or json");
    }
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.strip().lines().findFirst().orElse(m).strip();
  }
}
