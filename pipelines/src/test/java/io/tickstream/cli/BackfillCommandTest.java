package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.BackfillConfig;
import io.tickstream.pipeline.io.TickFileFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.StreamingOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tickstream backfill}'s way in: each mistake is one line naming the flag and the value,
 * exit code 2, before a runner starts; the flags make the config the job runs with, in batch mode.
 */
class BackfillCommandTest {
  @TempDir Path tmp;

  private final List<JobRun.Job> launched = new ArrayList<>();

  private record Result(int code, String err) {}

  @BeforeEach
  void landing() throws Exception {
    Files.createDirectories(tmp.resolve("landing/2025/01/02/14"));
    Files.writeString(tmp.resolve("landing/2025/01/02/14/ticks.jsonl"), "{}\n");
  }

  private Result backfill(String... args) {
    CommandLine cl =
        Tickstream.commandLine(
            Map.of(),
            (job, err) -> {
              launched.add(job);
              return 0;
            });
    List<String> all =
        new ArrayList<>(
            List.of(
                "backfill",
                "--lake=" + tmp.resolve("lake"),
                "--input=" + tmp.resolve("landing") + "/**"));
    all.addAll(List.of(args));
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(new String[0]));
    return new Result(code, err.toString());
  }

  private void assertOneLineError(Result r, String... fragments) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
    }
    assertTrue(launched.isEmpty(), "no job may start after a mistake: " + r.err());
  }

  @Test
  void theFlagsMakeTheConfigOfABatchJob() {
    Result r =
        backfill(
            "--format=json-per-file",
            "--from=2025-01-02",
            "--to=2025-01-03",
            "--warm-up=2h",
            "--target-file-mb=64",
            "--slow=30");
    assertEquals(0, r.code(), r.err());
    BackfillConfig config = (BackfillConfig) launched.get(0).config();
    assertEquals(TickFileFormat.JSON_PER_FILE, config.format());
    assertEquals(LocalDate.parse("2025-01-02"), config.from());
    assertEquals(LocalDate.parse("2025-01-03"), config.to());
    assertEquals(java.time.Duration.ofHours(2), config.warmUp());
    assertEquals(64L << 20, config.targetFileBytes());
    assertEquals(30, config.strategy().slow());
    assertTrue(config.runId().matches("[A-Za-z0-9]+"), config.runId());
    assertEquals(
        false, launched.get(0).options().as(StreamingOptions.class).isStreaming(), "batch mode");
  }

  @Test
  void aGlobMatchingNothingIsNamed() {
    assertOneLineError(
        backfill("--input=" + tmp.resolve("nothing") + "/*.jsonl"), "--input", "matches no file");
  }

  @Test
  void anUnknownFormatIsNamed() {
    assertOneLineError(backfill("--format=parquet"), "--format", "parquet", "jsonl");
  }

  @Test
  void aBadDateIsNamed() {
    assertOneLineError(backfill("--from=02/01/2025"), "--from", "02/01/2025", "2025-01-02");
  }

  @Test
  void fromAfterToIsNamedWithBoth() {
    assertOneLineError(
        backfill("--from=2025-01-03", "--to=2025-01-02"), "--from", "--to", "2025-01-03");
  }

  @Test
  void aWarmUpShorterThanTheSlowAverageIsNamed() {
    assertOneLineError(backfill("--warm-up=10m", "--slow=20"), "--warm-up", "--slow", "10m");
  }

  @Test
  void aTargetFileSizeBelowOneIsNamed() {
    assertOneLineError(backfill("--target-file-mb=0"), "--target-file-mb", "0");
  }

  @Test
  void streamOnlyFlagsAreRefused() {
    Result r = backfill("--file-window=1m");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--file-window"), r.err());
  }
}
