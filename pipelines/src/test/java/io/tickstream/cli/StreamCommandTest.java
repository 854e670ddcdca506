package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.tickstream.generator.Simulation;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.StreamingPipeline;
import io.tickstream.pipeline.io.SourceSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The pipeline commands' way in: every mistake is one line naming the flag and the value, exit code
 * 2, and no runner starts; options files are YAML whose keys and values are checked like flags;
 * help shows every flag with its default as typed. Jobs go to a launcher that records them.
 */
class StreamCommandTest {
  @TempDir Path tmp;

  private final List<JobRun.Job> launched = new ArrayList<>();

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    CommandLine cl =
        Tickstream.commandLine(
            Map.of(),
            (job, err) -> {
              launched.add(job);
              return 0;
            });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code stream} with a lake in the test's directory unless the args name one. */
  private Result stream(String... args) {
    List<String> all = new ArrayList<>(List.of("stream", "--lake=" + tmp.resolve("lake")));
    all.addAll(List.of(args));
    return run(all.toArray(new String[0]));
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
  void aMissingFileIsNamedBeforeAnythingStarts() {
    assertOneLineError(
        stream("--source=file:" + tmp.resolve("nonexistent/x.jsonl")),
        "--source",
        "nonexistent/x.jsonl",
        "matches no file");
  }

  @Test
  void anEmptyGlobIsNamedBeforeAnythingStarts() throws IOException {
    Files.createDirectories(tmp.resolve("landing"));
    Files.writeString(tmp.resolve("landing/notes.txt"), "not ticks");
    assertOneLineError(
        stream("--source=file:" + tmp.resolve("landing") + "/**/*.jsonl"),
        "--source",
        "landing/**/*.jsonl",
        "matches no file");
  }

  @Test
  void anUnwritableLakeIsNamedBeforeAnythingStarts() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "in the way");
    assertOneLineError(
        run("stream", "--lake=" + file.resolve("lake")), "--lake", "a-file/lake", "cannot be");
    assertOneLineError(run("stream", "--lake=/proc/tickstream-lake"), "--lake", "/proc/");
  }

  @Test
  void aReadOnlyLakeIsNamedBeforeAnythingStarts() throws IOException {
    Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
    assertTrue(readOnly.toFile().setWritable(false));
    try {
      assumeFalse(Files.isWritable(readOnly), "root may write anywhere");
      assertOneLineError(
          run("stream", "--lake=" + readOnly), "--lake", "read-only", "is not writable");
    } finally {
      readOnly.toFile().setWritable(true);
    }
  }

  @Test
  void aWritableLakeKeepsNoProbeBehind() throws IOException {
    Path lake = tmp.resolve("lake");
    Result r = stream("--source=generator", "--duration=1m");
    assertEquals(0, r.code(), r.err());
    assertEquals(1, launched.size());
    try (Stream<Path> files = Files.list(lake)) {
      assertEquals(List.of(), files.toList(), "the probe file was removed again");
    }
  }

  @Test
  void badEndpointsAndAddressesNameTheFlag() {
    assertOneLineError(
        stream("--source=kinesis:ticks", "--kinesis-endpoint=ftp://localhost:4567"),
        "--kinesis-endpoint",
        "ftp://localhost:4567",
        "http(s) URL");
    assertOneLineError(
        stream("--positions-table=positions", "--dynamodb-endpoint=not a url"),
        "--dynamodb-endpoint",
        "not a url");
    assertOneLineError(
        stream("--source=kafka:localhost:99999/ticks"), "--source", "localhost:99999");
    assertOneLineError(stream("--source=ftp://x"), "--source", "ftp://x");
    assertOneLineError(stream("--region=mars"), "--region", "mars");
  }

  @Test
  void badDurationsAndNumbersNameTheFlagAndTheValue() {
    assertOneLineError(
        stream("--max-out-of-orderness=5parsecs"), "--max-out-of-orderness", "5parsecs");
    assertOneLineError(stream("--dedup-window=0"), "--dedup-window", "'0'", "positive");
    assertOneLineError(stream("--state-ttl=-1d"), "--state-ttl", "-1d");
    assertOneLineError(stream("--file-window=1500ms"), "--file-window", "whole seconds");
    assertOneLineError(stream("--lake-shards=0"), "--lake-shards", "'0'");
    assertOneLineError(stream("--fast=x"), "--fast", "'x'");
    assertOneLineError(stream("--bad-rate=2"), "--bad-rate", "'2'");
    assertOneLineError(stream("--generator-splits=0"), "--generator-splits", "'0'");
    assertOneLineError(stream("--duration=soon"), "--duration", "soon");
  }

  @Test
  void dependentFlagsAreCheckedTogetherNamingEveryFlag() throws IOException {
    Path ticks = Files.writeString(tmp.resolve("t.jsonl"), "{}\n");
    assertOneLineError(stream("--fast=30", "--slow=20"), "--fast", "--slow", "30", "20");
    assertOneLineError(
        stream("--source=file:" + ticks, "--symbols=5"),
        "--symbols",
        "'5'",
        "--source=generator only");
    assertOneLineError(
        stream("--source=file:" + ticks, "--generator-splits=2"),
        "--generator-splits",
        "--source=generator only");
    assertOneLineError(
        stream("--kinesis-endpoint=http://127.0.0.1:4567"),
        "--kinesis-endpoint",
        "--source=kinesis:STREAM only");
    assertOneLineError(
        stream("--kafka-group=replay"), "--kafka-group", "--source=kafka:HOST:PORT/TOPIC only");
    assertOneLineError(
        stream("--source=kinesis:ticks", "--stop-when-idle"),
        "--stop-when-idle",
        "--source=kafka:HOST:PORT/TOPIC only");
    assertOneLineError(
        stream("--dynamodb-endpoint=http://127.0.0.1:8000"),
        "--dynamodb-endpoint",
        "--positions-table is not");
    assertOneLineError(
        stream("--dedup-window=2d"), "--state-ttl", "--dedup-window", "'1d'", "'2d'");
    assertOneLineError(
        stream("--max-out-of-orderness=1d"), "--state-ttl", "--max-out-of-orderness", "'1d'");
    launched.clear();
    assertEquals(
        0,
        stream("--source=kafka:127.0.0.1:9092/ticks", "--stop-when-idle", "--kafka-group=replay")
            .code());
    StreamConfig replay = (StreamConfig) launched.get(0).config();
    assertTrue(replay.stopWhenIdle(), "a replay that ends");
    assertEquals("replay", replay.kafkaGroup());
    launched.clear();
    assertEquals(0, stream("--dedup-window=2d", "--state-ttl=3d", "--duration=1m").code());
    StreamConfig config = (StreamConfig) launched.get(0).config();
    assertEquals(Duration.ofDays(3), config.stateTtl());
    StreamingPipeline.build(Pipeline.create(), config); // what passes the checks also builds
  }

  @Test
  void theDeadLetterMetricsFlagsAreCheckedAndReachTheJob() {
    assertOneLineError(
        stream("--cloudwatch-endpoint=http://127.0.0.1:4566"),
        "--cloudwatch-endpoint",
        "--dead-letter-metrics-namespace is not");
    assertOneLineError(
        stream("--dead-letter-metrics-namespace=AWS/Kinesis"),
        "--dead-letter-metrics-namespace",
        "'AWS/Kinesis'");
    assertOneLineError(
        stream("--dead-letter-metrics-namespace=tickstream/dev", "--cloudwatch-endpoint=nope"),
        "--cloudwatch-endpoint",
        "nope");
    launched.clear();
    assertEquals(
        0,
        stream(
                "--dead-letter-metrics-namespace=tickstream/dev",
                "--region=eu-west-1",
                "--cloudwatch-endpoint=http://127.0.0.1:4566",
                "--duration=1m")
            .code());
    StreamConfig config = (StreamConfig) launched.get(0).config();
    assertEquals("tickstream/dev", config.deadLetterMetrics().namespace());
    assertEquals("eu-west-1", config.deadLetterMetrics().region());
    assertEquals("http://127.0.0.1:4566", String.valueOf(config.deadLetterMetrics().endpoint()));
    StreamingPipeline.build(Pipeline.create(), config);
    launched.clear();
    assertEquals(0, stream("--duration=1m").code());
    assertNull(((StreamConfig) launched.get(0).config()).deadLetterMetrics(), "off by default");
  }

  @Test
  void unknownAndMistypedRunnerOptionsAreNamed() {
    assertOneLineError(stream("--bogus-flag=1"), "--bogus-flag");
    assertOneLineError(stream("--paralelism=2"), "--paralelism", "did you mean --parallelism");
    assertOneLineError(stream("--parallelism=two"), "--parallelism", "'two'", "whole number");
    assertOneLineError(stream("--runner=Foo"), "--runner", "'Foo'", "DirectRunner");
    assertOneLineError(stream("stray"), "'stray'");
  }

  @Test
  void flagsTakeKebabOrCamelCaseAndRunnerOptionsPassThrough() {
    Result r =
        stream(
            "--maxOutOfOrderness=10s",
            "--dedup-window",
            "5m",
            "--parallelism=3",
            "--checkpointing-interval",
            "60000",
            "--duration=1m");
    assertEquals(0, r.code(), r.err());
    JobRun.Job job = launched.get(0);
    FlinkPipelineOptions flink = job.options().as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, flink.getRunner());
    assertEquals("[local]", flink.getFlinkMaster());
    assertEquals(3, flink.getParallelism());
    assertEquals(60_000L, flink.getCheckpointingInterval());
    assertTrue(flink.getObjectReuse(), "object reuse is the launcher's default on Flink");
    assertEquals(RunnerDefaults.Engine.EMBEDDED_FLINK, job.engine());
    assertEquals("generator", job.source());
    StreamOptions options = job.options().as(StreamOptions.class);
    assertEquals("10s", options.getMaxOutOfOrderness());
    assertEquals("5m", options.getDedupWindow());
    assertTrue(options.isStreaming(), "an unbounded source runs in streaming mode");
  }

  @Test
  void optionsFilesAreYamlAndTheCommandLineWins() throws IOException {
    Path file = tmp.resolve("opts.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "# a comment",
            "runner: DirectRunner   # trailing comment",
            "fast: 3",
            "slow: 7",
            "'max-out-of-orderness': \"20s\"",
            "symbols: AAPL,MSFT",
            "experiments:",
            "  - use_deprecated_read",
            "  - another",
            "awsCredentialsProvider:",
            "  \"@type\": StaticCredentialsProvider",
            "  accessKeyId: x",
            "  secretAccessKey: y",
            "duration: 1m",
            ""));
    Result r = stream("--options-file=" + file, "--slow=9");
    assertEquals(0, r.code(), r.err());
    JobRun.Job job = launched.get(0);
    StreamOptions options = job.options().as(StreamOptions.class);
    assertEquals(DirectRunner.class, options.getRunner());
    assertEquals(3, options.getFast());
    assertEquals(9, options.getSlow(), "the command line overrides the file");
    assertEquals("20s", options.getMaxOutOfOrderness());
    assertEquals(RunnerDefaults.Engine.DIRECT, job.engine());
    Simulation market = ((StreamConfig) job.config()).generator().simulation();
    assertEquals(List.of("AAPL", "MSFT"), market.symbols(), "simulation flags come from files too");
    assertEquals(Duration.ofMinutes(1), market.duration());
    assertTrue(
        options
            .as(org.apache.beam.sdk.options.ExperimentalOptions.class)
            .getExperiments()
            .containsAll(List.of("use_deprecated_read", "another")));
    assertEquals(
        "x",
        options
            .as(org.apache.beam.sdk.io.aws2.options.AwsOptions.class)
            .getAwsCredentialsProvider()
            .resolveCredentials()
            .accessKeyId());
  }

  @Test
  void anOptionsFileKeyThatIsNoOptionOrHasTheWrongTypeIsNamed() throws IOException {
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(file, "parallelism: 2\nlake-shard: 3\n");
    assertOneLineError(
        stream("--options-file=" + file), "bad.yaml", "lake-shard", "did you mean --lake-shards");
    Files.writeString(file, "parallelism: four\n");
    assertOneLineError(
        stream("--options-file=" + file), "bad.yaml", "parallelism", "'four'", "whole number");
    Files.writeString(file, "fast: quick\n");
    assertOneLineError(stream("--options-file=" + file), "bad.yaml", "--fast", "'quick'");
    Files.writeString(file, "lake: [a, b]\n");
    assertOneLineError(stream("--options-file=" + file), "bad.yaml", "lake", "is a list");
    Files.writeString(file, "fast: {a: 1}\n");
    assertOneLineError(stream("--options-file=" + file), "bad.yaml", "fast", "is a mapping");
    Files.writeString(file, "- just\n- a list\n");
    assertOneLineError(stream("--options-file=" + file), "--options-file", "mapping");
    Files.writeString(file, "fast: [unclosed\n");
    assertOneLineError(stream("--options-file=" + file), "--options-file", "not valid YAML");
    assertOneLineError(
        stream("--options-file=" + tmp.resolve("none.yaml")), "--options-file", "none.yaml");
  }

  @Test
  void everyRunnerConfigLoads() throws IOException {
    Path dir = runnerConfigs();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "runner-configs/ holds option files");
    Path landing = Files.writeString(tmp.resolve("ticks.jsonl"), "{}\n");
    for (Path file : files) {
      launched.clear();
      Result r =
          file.getFileName().toString().startsWith("backfill-")
              ? run(
                  "backfill",
                  "--options-file=" + file,
                  "--input=" + landing,
                  "--lake=" + tmp.resolve("lake"))
              : stream("--options-file=" + file, "--duration=1m");
      assertEquals(0, r.code(), file + ": " + r.err());
      assertEquals(1, launched.size(), file.toString());
    }
  }

  /** The tests' JVM flags (the root pom's flink.jvm.opens) are the cluster's, from one file. */
  @Test
  void theTestsJava17FlagsAreTheShippedClusterConfigurations() throws IOException {
    String conf = Files.readString(runnerConfigs().resolve("flink-cluster-conf/flink-conf.yaml"));
    String flags = conf.split("env\\.java\\.opts\\.all: ", 2)[1].lines().findFirst().get().trim();
    String pom = Files.readString(runnerConfigs().resolveSibling("pom.xml"));
    assertTrue(
        pom.contains("<flink.jvm.opens>" + flags + "</flink.jvm.opens>"),
        "pom.xml's flink.jvm.opens is runner-configs/flink-cluster-conf's env.java.opts.all");
  }

  @Test
  void helpListsEveryFlagWithItsDefaultAsTyped() {
    Result r = run("stream", "--help");
    assertEquals(0, r.code(), r.err());
    for (String flag :
        List.of(
            "--source=SOURCE",
            "--max-out-of-orderness=DURATION",
            "--dedup-window=DURATION",
            "--state-ttl=DURATION",
            "--idle-timeout=DURATION",
            "--fast=BARS",
            "--slow=BARS",
            "--notional=DOLLARS",
            "--fee-bps=BPS",
            "--positions-table=TABLE",
            "--dynamodb-endpoint=URL",
            "--dead-letter-metrics-namespace=NAMESPACE",
            "--cloudwatch-endpoint=URL",
            "--kinesis-endpoint=URL",
            "--stop-when-idle",
            "--kafka-group=GROUP",
            "--region=REGION",
            "--generator-splits=N",
            "--lake=DIR|s3://BUCKET/PREFIX",
            "--file-window=DURATION",
            "--lake-shards=N",
            "--lake-allowed-lateness=DURATION",
            "--s3-path-style-access",
            "--symbols=N|TICKERS",
            "--duration=DURATION",
            "--options-file=FILE",
            "--verbose")) {
      assertTrue(r.out().contains(flag), flag + " missing from help:\n" + r.out());
    }
    for (String shown :
        List.of("Default: 30s", "Default: 10m", "Default: 1d", "Default: 1m", "Default: 5m")) {
      assertTrue(r.out().contains(shown), shown + " missing from help:\n" + r.out());
    }
    assertFalse(r.out().contains("Default: PT"), "durations show as typed, not ISO:\n" + r.out());
  }

  @Test
  void theDemoRunsItsPresetsWhichFlagsOverride() {
    Result r = run("demo", "--lake=" + tmp.resolve("demo-lake"), "--symbols=3");
    assertEquals(0, r.code(), r.err());
    JobRun.Job job = launched.get(0);
    assertEquals(tmp.resolve("demo-lake").toString(), job.lake(), "a flag overrides a preset");
    StreamConfig config = (StreamConfig) job.config();
    assertEquals(SourceSpec.Type.GENERATOR, config.source().type());
    Simulation market = config.generator().simulation();
    assertEquals(42, market.seed(), "preset --seed=42");
    assertEquals(Duration.ofHours(2), market.duration(), "preset --duration=2h");
    assertEquals(0.001, market.faults().badRate(), "preset --bad-rate=0.001");
    assertEquals(3, market.symbols().size(), "--symbols=3 overrides the preset's 20");
    assertNull(config.positionsTable());
  }

  @Test
  void theDemoWritesTheReportOfItsLakeBesideIt() throws Exception {
    Path lake = tmp.resolve("demo-lake");
    CommandLine cl =
        Tickstream.commandLine(
            Map.of(),
            (job, err) -> {
              Files.createDirectories(Path.of(job.lake())); // a run that wrote an empty lake
              return 0;
            });
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    assertEquals(0, cl.execute("demo", "--lake=" + lake));
    Path report = tmp.resolve("report.html");
    assertTrue(Files.size(report) > 10_000, "the report is written beside the lake");
    assertTrue(out.toString().startsWith("report: " + report), out.toString());
  }

  /** The project's runner-configs/, found from the working directory up. */
  private static Path runnerConfigs() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("runner-configs"))) {
        return dir.resolve("runner-configs");
      }
    }
    throw new IllegalStateException("no runner-configs/ above " + Path.of("").toAbsolutePath());
  }
}
