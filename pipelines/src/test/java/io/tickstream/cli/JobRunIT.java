package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * Jobs as the launcher runs them, on embedded Flink: SIGTERM stops an unbounded job cleanly, with
 * the summary of a finished one and every record read in the lake; a failure while running is one
 * line with its root cause, its stack trace only with {@code --verbose}.
 */
class JobRunIT {
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir Path tmp;

  private record Result(int code, String err) {}

  private static CompletableFuture<Result> start(String... args) {
    return CompletableFuture.supplyAsync(
        () -> {
          CommandLine cl = Tickstream.commandLine(Map.of());
          StringWriter err = new StringWriter();
          cl.setErr(new PrintWriter(err, true));
          cl.setOut(new PrintWriter(new StringWriter()));
          int code = cl.execute(args);
          return new Result(code, err.toString());
        });
  }

  @Test
  void sigtermDrainsAnUnboundedJobAndPrintsItsSummary() throws Exception {
    Path lake = tmp.resolve("lake");
    LiveMetrics.clear(); // no other job's counts may look like this one running
    CompletableFuture<Result> job =
        start(
            "stream",
            "--source=generator",
            "--symbols=3",
            "--speed=120",
            "--bad-rate=0.01",
            "--lake=" + lake);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    // The job runs once ticks are counted; by then its signal handlers are in place.
    while (LiveMetrics.counter(PipelineMetrics.TICKS_IN) < 500 && !job.isDone()) {
      assertTrue(System.nanoTime() < deadline, "the job read no ticks in " + PATIENCE);
      Thread.sleep(50);
    }
    assertFalse(
        job.isDone(), "an unbounded job runs until stopped: " + (job.isDone() ? job.get() : ""));
    Signal.raise(new Signal("TERM"));
    Result r = job.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("stopping (SIGTERM)"), r.err());
    assertTrue(r.err().contains("stopped by          SIGTERM: drained"), r.err());
    Matcher read =
        Pattern.compile(
                "records read +([0-9,]+) = ([0-9,]+) valid \\+ ([0-9,]+) dead letters "
                    + " \\[conserved\\]")
            .matcher(r.err());
    assertTrue(read.find(), "the summary balances:\n" + r.err());
    Matcher unique = Pattern.compile("ticks \\(unique\\) +([0-9,]+)").matcher(r.err());
    assertTrue(unique.find(), r.err());
    try (LakeReader reader = LakeReader.local(lake)) {
      assertEquals(
          number(unique.group(1)), reader.records(Dataset.TICKS).size(), "all in the lake");
      assertEquals(
          number(read.group(3)), reader.records(Dataset.DEAD_LETTER).size(), "every dead letter");
    }
    assertTrue(
        r.err().matches("(?s).*lake rows +[0-9,]+ written\n.*"),
        "drained: every row handed to the lake was written:\n" + r.err());
  }

  @Test
  void aFailureWhileRunningIsOneLineWithItsCause() throws Exception {
    // Flink refuses a checkpoint interval below 10 ms when the job starts, not before.
    String[] args = {
      "stream", "--duration=1m", "--lake=" + tmp.resolve("lake"), "--checkpointingInterval=5"
    };
    Result quiet = start(args).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(1, quiet.code(), quiet.err());
    String last = quiet.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("tickstream stream: failed: "), quiet.err());
    assertTrue(last.contains("Checkpoint interval"), last);
    assertFalse(quiet.err().contains("\tat "), "no stack trace without --verbose:\n" + quiet.err());

    String[] verbose = java.util.Arrays.copyOf(args, args.length + 1);
    verbose[args.length] = "--verbose";
    Result loud = start(verbose).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(1, loud.code(), loud.err());
    assertTrue(loud.err().contains("\tat "), "--verbose prints the stack trace:\n" + loud.err());
  }

  @Test
  void aFreshStartRemovesWhatAStoppedRunLeftStaged() throws Exception {
    Path lake = tmp.resolve("lake");
    String writer = StreamConfigFactory.writer(SourceSpec.parse("generator"));
    Path leftover = lake.resolve("ticks/.temp-" + writer + "/.temp-beam/3f2a9c1d-left-by-kill-9");
    Files.createDirectories(leftover.getParent());
    Files.writeString(leftover, "half a Parquet file");
    Path otherWriters = lake.resolve("ticks/.temp-backfill/.temp-beam/in-flight");
    Files.createDirectories(otherWriters.getParent());
    Files.writeString(otherWriters, "another job's");

    Result r =
        start("stream", "--duration=2m", "--speed=max", "--lake=" + lake)
            .get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.err().contains("removed 1 file that stopped runs left staged in the lake"), r.err());
    assertFalse(Files.exists(leftover), "the stopped run's file is gone");
    assertTrue(Files.exists(otherWriters), "another writer's staging is not this job's to clear");
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
