package io.tickstream.generator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.Simulation;
import io.tickstream.generator.sink.SinkSpec;
import io.tickstream.tick.TickParser;
import io.tickstream.tick.TickTimestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code generate} command line: bad flags, environment defaults, help, and a real run. */
class GenerateCommandTest {
  @TempDir Path dir;

  /** What a command line printed and returned. */
  private static final class Outcome {
    final int code;
    final String out;
    final String err;

    Outcome(int code, String out, String err) {
      this.code = code;
      this.out = out;
      this.err = err;
    }
  }

  private static Outcome execute(Map<String, String> env, String... args) {
    CommandLine cl = GeneratorMain.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private static GeneratorConfig config(Map<String, String> env, String... args) {
    CommandLine cl = GeneratorMain.commandLine(env);
    cl.parseArgs(args);
    GenerateCommand command = cl.getCommand();
    return command.toConfig();
  }

  // ---------------------------------------------------------------- bad flags

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate        | abc",
        "--rate        | -5",
        "--bad-rate    | 2",
        "--dup-rate    | -0.5",
        "--late-rate   | 1.5",
        "--speed       | fast",
        "--speed       | 0",
        "--sink        | ftp:x",
        "--sink        | kafka:nohost/t",
        "--sink        | kafka:host:99999/t",
        "--sink        | kafka:host:9092/bad topic",
        "--sink        | file:",
        "--start       | yesterday",
        "--start       | 2025-02-30T00:00:00Z",
        "--symbols     | 0",
        "--symbols     | aa$",
        "--symbols     | AAPL,aapl",
        "--duration    | 5 parsecs",
        "--max-disorder | -5s",
        "--column      | nope=X",
        "--column      | price",
        "--replay      | /no/such/file",
        "--ticks-per-minute | 0",
        "--count       | -1",
        "--file-max-bytes | 10",
        "--date-format | dd/MM/yyyy{",
        "--delimiter   | ab",
        "--replay-symbol | hsi index",
        "--kinesis-endpoint | ftp://x",
        "--kafka-property | novalue",
        "--seed        | 1.5",
      })
  void aBadFlagIsOneLineNamingFlagAndValueWithExitCode2(String flag, String value) {
    // Should a bad value be accepted, the run ends after one tick instead of running forever.
    Map<String, String> env = Map.of("TICKSTREAM_COUNT", "1", "TICKSTREAM_PROGRESS_INTERVAL", "0");

    Outcome o = execute(env, flag, value);

    assertEquals(2, o.code, o.err);
    assertEquals("", o.out);
    List<String> lines = o.err.lines().collect(Collectors.toList());
    assertEquals(1, lines.size(), () -> "one line, got:\n" + o.err);
    String line = lines.get(0);
    assertTrue(line.startsWith("generate: Invalid value for option '" + flag + "': "), line);
    assertTrue(line.contains("'" + value + "'"), () -> "the value as typed, quoted: " + line);
    assertTrue(line.endsWith(" (see 'generate --help')"), line);
  }

  @Test
  void anUnknownFlagIsOneLineToo() {
    Outcome o = execute(Map.of(), "--sped", "max");

    assertEquals(2, o.code);
    assertEquals(1, o.err.lines().count(), o.err);
    assertTrue(o.err.contains("--sped"), o.err);
  }

  @Test
  void aBadEnvironmentValueNamesTheFlagAndTheValue() {
    Outcome o = execute(Map.of("TICKSTREAM_RATE", "lots"), "--count", "1");

    assertEquals(2, o.code);
    assertEquals(1, o.err.lines().count(), o.err);
    assertTrue(o.err.contains("'--rate'") && o.err.contains("'lots'"), o.err);
  }

  // ---------------------------------------------------------------- environment defaults

  @Test
  void environmentVariablesSetDefaultsAndArgumentsWin() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TICKSTREAM_SEED", "7");
    env.put("TICKSTREAM_SYMBOLS", "AAPL,brk.b,ZZZ");
    env.put("TICKSTREAM_TICKS_PER_MINUTE", "600");
    env.put("TICKSTREAM_BAD_RATE", "0.25");
    env.put("TICKSTREAM_MAX_DISORDER", "10s");
    env.put("TICKSTREAM_SINK", "kafka:127.0.0.1:9092/ticks");
    env.put("TICKSTREAM_START", "2025-06-29T14:36:16+02:00");
    env.put("TICKSTREAM_GZIP", "true");
    env.put("TICKSTREAM_SPEED", "max");
    env.put("TICKSTREAM_COUNT", "");

    GeneratorConfig fromEnv = config(env);

    assertEquals(7, fromEnv.simulation().seed());
    assertEquals(List.of("AAPL", "BRK.B", "ZZZ"), fromEnv.simulation().symbols());
    assertEquals(600, fromEnv.simulation().ticksPerMinute());
    assertEquals(0.25, fromEnv.simulation().faults().badRate());
    assertEquals(Duration.ofSeconds(10), fromEnv.simulation().faults().maxDisorder());
    assertEquals(new SinkSpec(SinkSpec.Type.KAFKA, "127.0.0.1:9092", "ticks"), fromEnv.sink());
    assertEquals(
        TickTimestamps.parseMillis("2025-06-29T12:36:16Z"), fromEnv.simulation().startMillis());
    assertTrue(fromEnv.sinkSettings().gzip());
    assertEquals(Double.POSITIVE_INFINITY, fromEnv.simulation().speed());
    assertEquals(0, fromEnv.simulation().maxTicks(), "an empty variable is no setting");

    GeneratorConfig argsWin =
        config(env, "--seed", "9", "--symbols", "2", "--bad-rate", "0", "--sink", "stdout");

    assertEquals(9, argsWin.simulation().seed());
    assertEquals(2, argsWin.simulation().symbols().size());
    assertEquals(0, argsWin.simulation().faults().badRate());
    assertEquals(SinkSpec.Type.STDOUT, argsWin.sink().type());
    assertEquals(
        600,
        argsWin.simulation().ticksPerMinute(),
        "what the arguments do not set still comes from env");
  }

  @Test
  void withoutEnvironmentTheDocumentedDefaultsApply() {
    GeneratorConfig c = config(Map.of());

    assertEquals(42, c.simulation().seed());
    assertEquals(20, c.simulation().symbols().size());
    assertEquals(
        TickTimestamps.parseMillis(Simulation.DEFAULT_START), c.simulation().startMillis());
    assertEquals(60, c.simulation().ticksPerMinute());
    assertEquals(1.0, c.simulation().speed());
    assertEquals(SinkSpec.Type.STDOUT, c.sink().type());
    assertNull(c.replayFile());
    assertEquals(0, c.simulation().faults().badRate());
    assertEquals(Duration.ofMinutes(5), c.simulation().faults().lateBy());
  }

  @Test
  void theVariableOfAnOptionIsItsNameInUpperSnakeCase() {
    assertEquals(
        "TICKSTREAM_TICKS_PER_MINUTE", EnvironmentDefaults.variableFor("--ticks-per-minute"));
    assertEquals("TICKSTREAM_SINK", EnvironmentDefaults.variableFor("--sink"));
  }

  // ---------------------------------------------------------------- help

  @Test
  void helpListsEveryOptionWithItsDefault() {
    Outcome o = execute(Map.of("TICKSTREAM_SEED", "7"), "--help");

    assertEquals(0, o.code, o.err);
    assertEquals("", o.err);
    Map<String, String> blocks = optionBlocks(o.out);
    CommandLine cl = GeneratorMain.commandLine(Map.of());
    List<String> missing = new ArrayList<>();
    for (OptionSpec option : cl.getCommandSpec().options()) {
      String name = option.longestName();
      String block = blocks.get(name);
      if (block == null) {
        missing.add(name);
        continue;
      }
      // The default as declared (durations as typed, 5m not PT5M), else the field's own value.
      Object initial =
          option.defaultValue() != null ? option.defaultValue() : option.initialValue();
      boolean hasDefault =
          initial != null
              && !(initial instanceof List && ((List<?>) initial).isEmpty())
              && !option.usageHelp()
              && !option.versionHelp();
      if (hasDefault) {
        String expected = name.equals("--seed") ? "7" : String.valueOf(initial);
        assertTrue(
            block.contains("Default: " + expected), () -> name + " shows its default:\n" + block);
      }
    }
    assertEquals(List.of(), missing, "options missing from the help");
    assertTrue(blocks.get("--seed").contains("Default: 7"), "the environment's value is shown");
    for (String flag : new String[] {"--date-format", "--delimiter", "--kinesis-endpoint"}) {
      assertTrue(blocks.get(flag).contains("default "), () -> flag + " explains its default");
    }
    assertTrue(o.out.contains("TICKSTREAM_TICKS_PER_MINUTE"), "the environment is explained");
  }

  /** The help text per long option name: from its line to the next option's. */
  private static Map<String, String> optionBlocks(String help) {
    Map<String, String> blocks = new LinkedHashMap<>();
    String current = null;
    StringBuilder block = new StringBuilder();
    for (String line : help.lines().collect(Collectors.toList())) {
      String trimmed = line.trim();
      // Option lines are indented a little; wrapped descriptions, which may mention options, more.
      if (line.matches(" {1,8}(-[hV], )?--[a-z].*")) {
        if (current != null) {
          blocks.put(current, block.toString());
        }
        String first = trimmed.replaceFirst("^-[hV], ", "");
        current = first.split("[=\\s\\[]", 2)[0];
        block.setLength(0);
      }
      if (current != null) {
        block.append(line).append('\n');
      }
      if (trimmed.equals("Examples:")) {
        break;
      }
    }
    if (current != null) {
      blocks.put(current, block.toString());
    }
    return blocks;
  }

  // ---------------------------------------------------------------- a real run

  @Test
  void aShortRunToFilesExitsZero() throws IOException {
    Path out = dir.resolve("landing");

    Outcome o =
        execute(
            Map.of(),
            "--count",
            "5",
            "--speed",
            "max",
            "--progress-interval",
            "0",
            "--sink",
            "file:" + out);

    assertEquals(0, o.code, o.err);
    assertEquals("", o.out);
    assertTrue(o.err.startsWith("generate: summary"), o.err);
    assertTrue(o.err.contains("ticks produced      5\n"), o.err);
    List<Path> files;
    try (Stream<Path> s = Files.walk(out)) {
      files = s.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    assertEquals(1, files.size(), files::toString);
    Path file = files.get(0);
    assertEquals(
        "2025/01/02/14/ticks-20250102T143000-000000.jsonl",
        out.relativize(file).toString().replace('\\', '/'));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(5, lines.size());
    for (String line : lines) {
      assertTrue(line.contains("\"symbol\""), line);
      assertParses(line);
    }
  }

  private static void assertParses(String line) {
    try {
      TickParser.parse(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
