package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.PipelineLake;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.StreamingPipeline;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.ReadGenerator;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.pipeline.sink.datalake.MarkCommittedPartitions;
import io.tickstream.pipeline.sink.datalake.WriteLake;
import io.tickstream.pipeline.transforms.ParseTicks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkJobServerDriver;
import org.apache.beam.runners.portability.PortableRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PortablePipelineOptions;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The pipeline through Beam's portability layer: {@code --runner=PortableRunner} against a Flink
 * job server started from {@link FlinkJobServerDriver} in this JVM (it runs the job on an embedded
 * Flink), the SDK harness in this JVM too ({@code LOOPBACK}). Beam 2.62's portable Flink runner
 * serves bag state only; the job's bar, signal and position steps keep map and set state, so the
 * full job fails there, and {@code tickstream stream} says so before start. The steps it does serve
 * (the unbounded source, parsing and dead letters, the lake's Parquet files and partition commits
 * with their bag and value state and event-time timers) write what the DirectRunner writes.
 */
class PortableRunnerIT {
  private static final GeneratorSourceConfig GENERATOR =
      GeneratorSourceConfig.of(PipelineLake.SIMULATION)
          .withSplits(1)
          .withMaxOutOfOrderness(PipelineLake.MAX_OUT_OF_ORDERNESS);

  private static FlinkJobServerDriver server;
  private static String endpoint;

  @TempDir Path tmp;

  @BeforeAll
  static void startJobServer() throws Exception {
    server =
        FlinkJobServerDriver.fromParams(
            new String[] {
              "--job-port=0", "--artifact-port=0", "--expansion-port=0", "--flink-master=[local]"
            });
    endpoint = server.start();
  }

  @AfterAll
  static void stopJobServer() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void theStreamCommandRefusesTheJobBeforeStartNamingTheState() throws Exception {
    Path lake = tmp.resolve("lake");
    StringWriter err = new StringWriter();
    CommandLine cl = Tickstream.commandLine(Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter()));
    int code =
        cl.execute(
            "stream",
            "--runner=PortableRunner",
            "--jobEndpoint=" + endpoint,
            "--defaultEnvironmentType=LOOPBACK",
            "--source=generator",
            "--lake=" + lake);

    assertEquals(2, code, err.toString());
    List<String> lines = err.toString().lines().toList();
    assertEquals(1, lines.size(), err.toString());
    String first = lines.get(0);
    assertTrue(
        first.startsWith(
            "tickstream stream: --runner=PortableRunner (job endpoint "
                + endpoint
                + "): this job keeps map and set state in 3 steps"),
        first);
    assertTrue(first.contains("ProcessTicks/ComputeBars/"), first);
    try (Stream<Path> written = Files.walk(lake)) {
      // The checks before start made the lake's directory; nothing ran to write into it.
      assertEquals(List.of(), written.filter(Files::isRegularFile).toList());
    }
  }

  @Test
  void theFullJobFailsOnTheJobServerWhereItsMapAndSetStateAreUsed() {
    StreamConfig config =
        StreamConfig.builder()
            .setSource(SourceSpec.parse("generator"))
            .setGenerator(GENERATOR)
            .setStrategy(PipelineLake.STRATEGY)
            .setLake(LakeConfig.at(tmp.resolve("lake").toString()))
            .build();
    PipelineResult result = StreamingPipeline.run(portable(), config);
    RuntimeException failure = assertThrows(RuntimeException.class, result::waitUntilFinish);

    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    // The job server's state service has no handler for the harness's map and set state keys.
    assertTrue(trace.toString().contains("StateRequestHandlers"), trace.toString());
    assertTrue(trace.toString().contains("handlerNotFound"), trace.toString());
  }

  @Test
  void theStepsItServesWriteTheDirectRunnersLake() throws Exception {
    Path portableLake = tmp.resolve("portable");
    Path directLake = tmp.resolve("direct");
    assertEquals(PipelineResult.State.DONE, parseAndWrite(portable(), portableLake));
    PipelineOptions direct = PipelineOptionsFactory.fromArgs("--streaming=true").create();
    direct.setRunner(DirectRunner.class);
    assertEquals(PipelineResult.State.DONE, parseAndWrite(direct, directLake));

    try (LakeReader onPortable = LakeReader.local(portableLake);
        LakeReader onDirect = LakeReader.local(directLake)) {
      List<?> ticks = onDirect.records(Dataset.TICKS);
      assertFalse(ticks.isEmpty());
      assertTrue(ticks.equals(onPortable.records(Dataset.TICKS)), "the same ticks");
      List<String> deadLetters = withoutReceivedAt(onDirect.records(Dataset.DEAD_LETTER));
      assertFalse(deadLetters.isEmpty());
      assertEquals(
          deadLetters,
          withoutReceivedAt(onPortable.records(Dataset.DEAD_LETTER)),
          "the same dead letters");
    }
    assertEquals(successMarkers(directLake), successMarkers(portableLake), "committed partitions");
  }

  /** Source, parse and lake write of the stream's ticks and dead letters, with commit markers. */
  private static PipelineResult.State parseAndWrite(PipelineOptions options, Path root) {
    LakeConfig lake = LakeConfig.at(root.toString());
    Pipeline p = Pipeline.create(options);
    PCollectionTuple parsed =
        p.apply("ReadTicks", ReadGenerator.from(GENERATOR))
            .apply(ParseTicks.STEP, ParseTicks.create());
    PCollectionTuple.of(Dataset.TICKS.tag(), parsed.get(ParseTicks.TICKS))
        .and(Dataset.DEAD_LETTER.tag(), parsed.get(ParseTicks.DEAD_LETTERS))
        .apply("WriteLake", WriteLake.to(lake))
        .apply("CommitPartitions", MarkCommittedPartitions.of(lake));
    return p.run().waitUntilFinish();
  }

  private static PipelineOptions portable() {
    PortablePipelineOptions options =
        PipelineOptionsFactory.fromArgs("--streaming=true", "--parallelism=2")
            .as(PortablePipelineOptions.class);
    options.setRunner(PortableRunner.class);
    options.setJobEndpoint(endpoint);
    options.setDefaultEnvironmentType("LOOPBACK");
    return options;
  }

  /** Dead letters as text, in order, without the wall-clock time each run received them at. */
  private static List<String> withoutReceivedAt(List<?> deadLetters) {
    return deadLetters.stream()
        .map(d -> d.toString().replaceFirst("receivedAt=[^,]*, ", ""))
        .sorted()
        .toList();
  }

  private static List<String> successMarkers(Path lake) throws Exception {
    try (Stream<Path> files = Files.walk(lake)) {
      return files
          .filter(f -> f.getFileName().toString().equals("_SUCCESS"))
          .map(f -> lake.relativize(f).toString())
          .sorted()
          .toList();
    }
  }
}
