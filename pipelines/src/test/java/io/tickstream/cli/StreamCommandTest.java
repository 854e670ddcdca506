package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The stream command's flag handling: every error names the flag and the value, in one line. */
class StreamCommandTest {
  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = Tickstream.commandLine(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static void assertOneLineError(Result r, String... fragments) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
    }
  }

  @Test
  void badFlagsNameTheFlagAndTheValue() {
    assertOneLineError(
        run("stream", "--max-out-of-orderness=5parsecs"), "--max-out-of-orderness", "5parsecs");
    assertOneLineError(run("stream", "--dedup-window=0"), "--dedup-window", "'0'");
    assertOneLineError(run("stream", "--source=ftp://x"), "--source", "ftp://x");
    assertOneLineError(run("stream", "--bogus-flag=1"), "--bogus-flag");
    assertOneLineError(run("stream", "--fast=30", "--slow=20"), "--fast/--slow", "30/20");
    assertOneLineError(run("stream", "--source=generator", "--bad-rate=2"), "--bad-rate", "2");
    assertOneLineError(run("stream", "--generator-splits=0"), "--generator-splits", "0");
    assertOneLineError(
        run("stream", "--options-file=" + tmp.resolve("none.yaml")), "--options-file", "none.yaml");
  }

  @Test
  void optionsFilesAreFlatYamlAndTheCommandLineWins() throws Exception {
    Path file = tmp.resolve("opts.yaml");
    Files.writeString(
        file,
        "# a comment\nrunner: DirectRunner   # trailing\nflinkMaster: \"[local]\"\n\nfast: 3\n");
    assertEquals(
        List.of("--runner=DirectRunner", "--flinkMaster=[local]", "--fast=3"),
        OptionsFile.read(file));
    Files.writeString(file, "this line has no colon\n");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> OptionsFile.read(file));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());

    StreamArgs split =
        StreamArgs.split(
            List.of("--fast=3", "--symbols", "5", "--max-out-of-orderness", "10s", "--fast=4"),
            Set.of("--symbols", "--seed"));
    assertEquals(List.of("--symbols", "5"), split.generatorArgs());
    assertEquals(List.of("--maxOutOfOrderness=10s", "--fast=4"), split.beamArgs());
  }

  @Test
  void helpListsEveryPipelineOptionWithItsDefault() {
    Result r = run("stream", "--help");
    assertEquals(0, r.code());
    for (String flag :
        List.of(
            "--source",
            "--max-out-of-orderness",
            "--dedup-window",
            "--idle-timeout",
            "--fast",
            "--slow",
            "--notional",
            "--fee-bps",
            "--positions-table",
            "--kinesis-endpoint",
            "--region",
            "--generator-splits",
            "--lake",
            "--file-window",
            "--lake-shards",
            "--lake-allowed-lateness",
            "--s3-path-style-access")) {
      assertTrue(r.out().contains("  " + flag + "\n"), flag + " missing from help:\n" + r.out());
    }
    assertTrue(r.out().contains("Default: 30s"), r.out());
  }
}
