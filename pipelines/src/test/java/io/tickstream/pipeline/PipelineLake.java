package io.tickstream.pipeline;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.io.GeneratorSourceConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A lake the streaming pipeline wrote, made once per test JVM and shared by the tests that read a
 * real lake (catalog, queries): a seeded faulty generator stream of 5 symbols over 90 minutes
 * across a UTC midnight, with malformed records, resends, disorder within the max out-of-orderness
 * and late ticks held back well beyond it. Deleted when the JVM exits.
 *
 * @param root the lake's directory
 * @param emissions every record the stream read, in order, with what the faults did to it
 */
public record PipelineLake(Path root, List<Emission> emissions) {
  /** The stream: 23:15 to 00:45 UTC, so the lake holds two days. */
  public static final Simulation SIMULATION =
      Simulation.builder()
          .setFirstSymbols(5)
          .setSeed(41)
          .setStartMillis(Instant.parse("2025-03-04T23:15:00Z").toEpochMilli())
          .setDuration(Duration.ofMinutes(90))
          .setSpeed(Double.POSITIVE_INFINITY)
          .setFaults(
              new FaultConfig(0.01, 0.02, Duration.ofSeconds(20), 0.004, Duration.ofMinutes(3)))
          .build();

  /** Ticks more than this behind their symbol's latest are late. */
  public static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(30);

  public static final StrategyConfig STRATEGY = new StrategyConfig(3, 8, 10_000, 5);

  private static PipelineLake made;

  /** The lake, written on first use. */
  public static synchronized PipelineLake get() {
    if (made == null) {
      try {
        made = write(STRATEGY);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return made;
  }

  /** A lake of its own from the same stream with another strategy, written now. */
  public static PipelineLake withStrategy(StrategyConfig strategy) {
    try {
      return write(strategy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PipelineLake write(StrategyConfig strategy) throws IOException {
    Path root = Files.createTempDirectory("tickstream-pipeline-lake");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--streaming=true").create();
    options.setRunner(DirectRunner.class);
    options.as(DirectOptions.class).setTargetParallelism(1);
    StreamConfig config =
        StreamConfig.builder()
            .setSource(SourceSpec.parse("generator"))
            .setGenerator(
                GeneratorSourceConfig.of(SIMULATION)
                    .withSplits(1)
                    .withMaxOutOfOrderness(MAX_OUT_OF_ORDERNESS))
            .setStrategy(strategy)
            .setLake(LakeConfig.at(root.toString()))
            .build();
    PipelineResult.State state = StreamingPipeline.run(options, config).waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended " + state);
    }
    return new PipelineLake(root, LandingFiles.emissions(SIMULATION));
  }

  private static void delete(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // The JVM is exiting; a temp directory left behind is all that can happen.
    }
  }
}
