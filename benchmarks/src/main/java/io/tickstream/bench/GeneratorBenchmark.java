package io.tickstream.bench;

import io.tickstream.generator.GeneratorConfig;
import io.tickstream.generator.GeneratorRun;
import io.tickstream.generator.Pacer;
import io.tickstream.generator.cli.GenerateCommand;
import io.tickstream.generator.sink.FileSink;
import io.tickstream.generator.sink.StdoutSink;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures generator throughput, {@code --speed max}, to a file sink and to stdout (redirected to
 * {@code /dev/null} so the terminal is not what is measured). Prints ticks per second for each run
 * and the best of the measured runs after a warm-up.
 *
 * <p>{@code benchmarks/run GeneratorBenchmark [TICKS] [RUNS]}; README.md gives the full command.
 */
public final class GeneratorBenchmark {
  private GeneratorBenchmark() {}

  public static void main(String[] args) throws Exception {
    long ticks = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.printf(
        Locale.ROOT,
        "generator benchmark: %,d ticks a run, 20 symbols, --speed max, %d runs after a warm-up%n",
        ticks,
        runs);
    for (String sink : new String[] {"file", "gzip-file", "stdout"}) {
      measure(sink, Math.min(ticks, 1_000_000), false);
      double best = 0;
      for (int i = 0; i < runs; i++) {
        best = Math.max(best, measure(sink, ticks, true));
      }
      System.out.printf(Locale.ROOT, "  %-10s best %,12.0f ticks/s%n", sink, best);
    }
  }

  private static double measure(String kind, long ticks, boolean print) throws Exception {
    Path dir = Files.createTempDirectory("tickstream-bench");
    try {
      BenchmarkFlags a = new BenchmarkFlags(ticks);
      GeneratorConfig config = a.config();
      OutputStream devNull = new FileOutputStream("/dev/null");
      GeneratorRun run =
          new GeneratorRun(
              config,
              new PrintWriter(new StringWriter()),
              c -> {
                switch (kind) {
                  case "file":
                    return new FileSink(dir, 128L << 20, Duration.ofMinutes(5), false);
                  case "gzip-file":
                    return new FileSink(dir, 128L << 20, Duration.ofMinutes(5), true);
                  default:
                    return new StdoutSink(devNull);
                }
              },
              Pacer.Clock.SYSTEM);
      long start = System.nanoTime();
      int code = run.run();
      double secs = (System.nanoTime() - start) / 1e9;
      if (code != 0) {
        throw new IllegalStateException("generator run failed with exit code " + code);
      }
      double rate = ticks / secs;
      if (print) {
        System.out.printf(
            Locale.ROOT, "  %-10s %,12.0f ticks/s  (%.2f s, %s)%n", kind, rate, secs, size(dir));
      }
      return rate;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      return bytes == 0
          ? "to /dev/null"
          : String.format(Locale.ROOT, "%,d MB written", bytes >> 20);
    }
  }

  /** The flags of a benchmark run, parsed by the real command. */
  private record BenchmarkFlags(long ticks) {
    GeneratorConfig config() {
      GenerateCommand cmd = new GenerateCommand();
      new picocli.CommandLine(cmd)
          .parseArgs(
              "--symbols",
              "20",
              "--speed",
              "max",
              "--count",
              Long.toString(ticks),
              "--progress-interval",
              "0");
      return cmd.toConfig();
    }
  }
}
