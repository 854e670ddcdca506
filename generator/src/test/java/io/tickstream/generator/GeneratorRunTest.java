package io.tickstream.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.cli.GenerateCommand;
import io.tickstream.generator.cli.GeneratorMain;
import io.tickstream.generator.sink.StdoutSink;
import io.tickstream.testing.SharedData;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickParser;
import io.tickstream.tick.TickTimestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Whole runs with the sink swapped for memory: replay end to end, and what stderr reports. */
class GeneratorRunTest {
  @TempDir Path dir;

  /** What a run wrote and returned. */
  private static final class Result {
    final int code;
    final List<String> lines;
    final String err;

    Result(int code, List<String> lines, String err) {
      this.code = code;
      this.lines = lines;
      this.err = err;
    }
  }

  private static Result run(String... args) throws Exception {
    CommandLine cl = GeneratorMain.commandLine(Map.of());
    cl.parseArgs(args);
    GenerateCommand command = cl.getCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code =
        new GeneratorRun(
                command.toConfig(),
                new PrintWriter(err),
                c -> new StdoutSink(out),
                new FakeClock(0))
            .run();
    String text = out.toString(StandardCharsets.UTF_8);
    List<String> lines = text.isEmpty() ? List.of() : text.lines().collect(Collectors.toList());
    return new Result(code, lines, err.toString());
  }

  @Test
  void replaysTheRealHangSengFileRebasedToStart() throws Exception {
    Path hsi = SharedData.file("indexProcessed-HSI.csv");

    Result r =
        run(
            "--replay",
            hsi.toString(),
            "--replay-step",
            "1s",
            "--speed",
            "max",
            "--progress-interval",
            "0");

    assertEquals(0, r.code, r.err);
    assertEquals(5_692, r.lines.size());
    long start = TickTimestamps.parseMillis(Simulation.DEFAULT_START);
    for (int n = 0; n < r.lines.size(); n++) {
      Tick t = TickParser.parse(r.lines.get(n));
      assertEquals("HSI-" + n, t.getEventId());
      assertEquals(start + n * 1_000L, t.timestampMillis());
    }
    assertTrue(r.err.contains("  replay rows         5,692  rejected 0  blank 0\n"), r.err);
    assertTrue(r.err.contains("  ticks produced      5,692\n"), r.err);
  }

  @Test
  void rejectedRowsAreListedWithTheirLinesUpToALimitAndAllCounted() throws Exception {
    StringBuilder csv = new StringBuilder("Index,Date,Close\n");
    for (int i = 0; i < 60; i++) {
      csv.append("HSI,2025-01-").append(String.format("%02d", i % 28 + 1)).append(",null\n");
    }
    csv.append("HSI,2025-02-01,100\n\n");
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, csv);

    Result r = run("--replay", file.toString(), "--speed", "max", "--progress-interval", "0");

    assertEquals(0, r.code, r.err);
    assertEquals(1, r.lines.size());
    List<String> listed =
        r.err.lines().filter(l -> l.contains(": rejected line ")).collect(Collectors.toList());
    assertEquals(GeneratorRun.MAX_REPORTED_ROWS, listed.size());
    assertEquals(
        "generate: --replay " + file + ": rejected line 2: column Close is 'null'", listed.get(0));
    assertTrue(listed.get(49).contains("rejected line 51: "), listed.get(49));
    assertTrue(r.err.contains("  replay rows         61  rejected 60  blank 1\n"), r.err);
    assertTrue(r.err.contains("(only the first 50 rejected rows were listed)"), r.err);
  }

  @Test
  void aFileThatCannotBeReplayedAtAllIsOneLineAndExitCode2() throws Exception {
    Path file = dir.resolve("noprice.csv");
    Files.writeString(file, "Index,Date,Open\nHSI,2025-01-02,1\n");

    Result r = run("--replay", file.toString(), "--speed", "max", "--progress-interval", "0");

    assertEquals(2, r.code);
    assertEquals(List.of(), r.lines);
    assertEquals(1, r.err.lines().count(), r.err);
    assertTrue(r.err.startsWith("generate: --replay: " + file + " has no price column"), r.err);
  }

  /** A run embedded in a longer-lived process leaves that process's signal handling as it was. */
  @Test
  void aRunRestoresTheSignalHandlersItReplaced() throws Exception {
    SignalHandler mine = s -> {};
    SignalHandler previous = Signal.handle(new Signal("TERM"), mine);
    try {
      Result r = run("--count", "3", "--speed", "max", "--progress-interval", "0");
      assertEquals(0, r.code, r.err);

      assertSame(mine, Signal.handle(new Signal("TERM"), mine), "SIGTERM handler after the run");
    } finally {
      Signal.handle(new Signal("TERM"), previous);
    }
  }

  @Test
  void aSinkFailureIsReportedWithTheDestinationAndExitCode1() throws Exception {
    CommandLine cl = GeneratorMain.commandLine(Map.of());
    cl.parseArgs("--count", "10", "--speed", "max", "--progress-interval", "0");
    GenerateCommand command = cl.getCommand();
    StringWriter err = new StringWriter();
    java.io.OutputStream broken =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }
        };

    int code =
        new GeneratorRun(
                command.toConfig(),
                new PrintWriter(err),
                c -> new StdoutSink(broken),
                new FakeClock(0))
            .run();

    assertEquals(1, code);
    assertTrue(err.toString().contains("generate: failed: stdout: disk full"), err::toString);
  }
}
