package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classpath the {@code ./tickstream} launcher runs on, as the build writes it ({@code
 * target/classpath.txt}): the runtime dependencies and nothing of the tests.
 */
class LauncherClasspathIT {
  /** A class from each test-scope dependency of this module, and from the generator's test jar. */
  private static final List<String> TEST_ONLY =
      List.of(
          "org.junit.jupiter.api.Test",
          "org.junit.Test",
          "kafka.server.KafkaRaftServer",
          "scala.Predef",
          "io.trino.sql.parser.SqlParser",
          "io.tickstream.testing.KafkaBroker");

  /**
   * What a real run needs: the runners, the IOs, the CLI, DuckDB (query and report) and the
   * generator's main classes; for PortableRunner, Hamcrest (its registrar's TestPipelineOptions)
   * and jamm (the LOOPBACK SDK harness's cache sizes); Flink's RocksDB state backend, for an
   * embedded run with {@code --stateBackend=rocksdb}.
   */
  private static final List<String> RUNTIME =
      List.of(
          "org.apache.beam.runners.flink.FlinkRunner",
          "org.apache.beam.runners.direct.DirectRunner",
          "org.apache.beam.runners.portability.PortableRunner",
          "org.hamcrest.Matcher",
          "org.github.jamm.MemoryMeter",
          "org.apache.flink.contrib.streaming.state.RocksDBStateBackend",
          "org.apache.beam.sdk.io.kafka.KafkaIO",
          "org.apache.beam.sdk.io.aws2.kinesis.KinesisIO",
          "org.apache.parquet.hadoop.ParquetWriter",
          "com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
          "picocli.CommandLine",
          "org.duckdb.DuckDBDriver",
          "org.slf4j.impl.SimpleLogger",
          "io.tickstream.generator.cli.GeneratorMain");

  @Test
  void holdsTheRuntimeDependenciesAndNoTestJar() throws Exception {
    Path file = Path.of(System.getProperty("tickstream.launcherClasspath"));
    assertTrue(Files.isRegularFile(file), "the build writes " + file);
    List<URL> urls = new ArrayList<>();
    for (String entry : Files.readString(file, StandardCharsets.UTF_8).strip().split(":")) {
      Path jar = Path.of(entry);
      assertTrue(Files.exists(jar), "classpath entry " + entry + " exists");
      assertTrue(!jar.getFileName().toString().endsWith("-tests.jar"), "no test jar: " + jar);
      urls.add(jar.toUri().toURL());
    }
    // Only the platform's classes beneath, so nothing of this test's own classpath shows through.
    try (URLClassLoader launcher =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      for (String name : RUNTIME) {
        assertEquals(name, Class.forName(name, false, launcher).getName());
      }
      // Every options registrar on the classpath loads here, and its options' types with it.
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(launcher);
      try {
        Class.forName("org.apache.beam.sdk.options.PipelineOptionsFactory", true, launcher)
            .getMethod("create")
            .invoke(null);
      } finally {
        Thread.currentThread().setContextClassLoader(context);
      }
      for (String name : TEST_ONLY) {
        try {
          Class.forName(name, false, launcher);
          fail(name + " is on the launcher's classpath, but only the tests use it");
        } catch (ClassNotFoundException expected) {
          // as it should be
        }
      }
    }
  }
}
