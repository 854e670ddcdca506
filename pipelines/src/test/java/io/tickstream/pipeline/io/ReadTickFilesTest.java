package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.GeneratorRun;
import io.tickstream.generator.Pacer;
import io.tickstream.generator.cli.GenerateCommand;
import io.tickstream.generator.sink.Sinks;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.StreamingPipeline;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The file source in batch mode against the generator source in streaming mode, on the same
 * simulated market: the landing files the generator writes (gzip, Firehose layout) must give the
 * same bars, signals and trades as the live stream, since no tick is late in either.
 */
class ReadTickFilesTest {
  private static final String[] SIMULATION = {
    "--symbols", "4", "--seed", "11", "--duration", "30m", "--speed", "max",
    "--bad-rate", "0.01", "--dup-rate", "0.01", "--max-disorder", "10s", "--progress-interval", "0"
  };

  @TempDir Path tmp;

  @Test
  void landingFilesInBatchModeGiveTheSameResultsAsTheLiveStream() throws Exception {
    Path landing = tmp.resolve("landing");
    GeneratorConfig toFiles =
        config("--sink", "file:" + landing, "--gzip", "--file-roll-interval", "5m");
    int code =
        new GeneratorRun(
                toFiles,
                new PrintWriter(new StringWriter()),
                c -> Sinks.open(c.sink(), c.sinkSettings()),
                Pacer.Clock.SYSTEM)
            .run();
    assertEquals(0, code);

    Path fileLake = tmp.resolve("file-lake");
    Path streamLake = tmp.resolve("stream-lake");
    run(SourceSpec.parse("file:" + landing + "/**/*.jsonl.gz"), fileLake, 0);
    // One split: the in-pipeline generator then emits exactly what the generator wrote to files.
    run(SourceSpec.parse("generator"), streamLake, 1);

    try (LakeReader files = LakeReader.local(fileLake);
        LakeReader stream = LakeReader.local(streamLake)) {
      assertFalse(files.records(Dataset.BARS_1M).isEmpty());
      assertFalse(files.records(Dataset.TRADES).isEmpty());
      assertEquals(
          new HashSet<>(stream.records(Dataset.BARS_1M)),
          new HashSet<>(files.records(Dataset.BARS_1M)));
      assertEquals(
          new HashSet<>(stream.records(Dataset.SIGNALS)),
          new HashSet<>(files.records(Dataset.SIGNALS)));
      assertEquals(
          new HashSet<>(stream.records(Dataset.TRADES)),
          new HashSet<>(files.records(Dataset.TRADES)));
      assertEquals(
          new HashSet<>(stream.records(Dataset.TICKS)),
          new HashSet<>(files.records(Dataset.TICKS)));
      List<DeadLetter> dead = files.records(Dataset.DEAD_LETTER);
      assertEquals(stream.records(Dataset.DEAD_LETTER).size(), dead.size());
      assertFalse(dead.isEmpty());
      for (DeadLetter d : dead) {
        assertTrue(
            d.getSource().startsWith("file:") && d.getSource().endsWith(".jsonl.gz"),
            d.getSource());
        assertTrue(d.getPosition().matches("line=[0-9]+"), d.getPosition());
      }
    }
  }

  private GeneratorConfig config(String... extra) {
    GenerateCommand generate = new GenerateCommand();
    String[] args = new String[SIMULATION.length + extra.length];
    System.arraycopy(SIMULATION, 0, args, 0, SIMULATION.length);
    System.arraycopy(extra, 0, args, SIMULATION.length, extra.length);
    new CommandLine(generate).parseArgs(args);
    return generate.toConfig();
  }

  private void run(SourceSpec source, Path lake, int generatorSplits) {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--streaming=" + !source.bounded())
            .as(PipelineOptions.class);
    options.setRunner(DirectRunner.class);
    // One worker thread keeps a symbol's arrival order between stateful steps, as Flink does.
    options.as(org.apache.beam.runners.direct.DirectOptions.class).setTargetParallelism(1);
    StreamConfig.Builder config =
        StreamConfig.builder().setSource(source).setLake(LakeConfig.at(lake.toString()));
    if (source.type() == SourceSpec.Type.GENERATOR) {
      config.setGenerator(
          GeneratorSourceConfig.of(config().simulation())
              .withSplits(generatorSplits)
              .withMaxOutOfOrderness(Duration.ofSeconds(30)));
    }
    assertEquals(
        PipelineResult.State.DONE,
        StreamingPipeline.run(options, config.build()).waitUntilFinish());
  }
}
