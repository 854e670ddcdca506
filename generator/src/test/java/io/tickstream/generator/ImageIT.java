package io.tickstream.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstream.generator.cli.GeneratorMain;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's container image as jib builds it (the image-tar execution: scratch base, no
 * registry): its config, its layers, and its entrypoint run the way an ECS task runs it, with flags
 * from the task definition's environment and command.
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLASSPATH_FILE = "/app/jib-classpath-file";

  @TempDir static Path work;

  private static JsonNode config;

  /** Every path in the image's layers, absolute ("/app/libs/picocli-4.7.7.jar"). */
  private static final Set<String> paths = new LinkedHashSet<>();

  /** The image's file system: the layers extracted in order. */
  private static Path rootfs;

  @BeforeAll
  static void openImage() throws IOException {
    Path tar = Paths.get(System.getProperty("tickstream.imageTar", "target/jib-image.tar"));
    assertTrue(
        Files.isRegularFile(tar), tar + " is missing: the image-tar execution of jib builds it");
    Path image = Files.createDirectories(work.resolve("image"));
    try (InputStream in = Files.newInputStream(tar)) {
      Tar.extract(in, image, name -> {});
    }
    JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile());
    assertEquals(1, manifest.size(), "one image in the tarball");
    config = JSON.readTree(image.resolve(manifest.get(0).get("Config").asText()).toFile());
    rootfs = Files.createDirectories(work.resolve("rootfs"));
    for (JsonNode layer : manifest.get(0).get("Layers")) {
      try (InputStream in = maybeGunzip(Files.newInputStream(image.resolve(layer.asText())))) {
        Tar.extract(in, rootfs, name -> paths.add("/" + name.replaceFirst("^(\\./|/)+", "")));
      }
    }
  }

  @Test
  void entrypointIsJavaWithJibClasspathFileAndTheGeneratorMain() {
    JsonNode c = config.get("config");
    assertEquals(
        List.of(
            "java",
            "-XX:MaxRAMPercentage=75", // the pom's <jvmFlags>
            "-cp",
            "@" + CLASSPATH_FILE,
            GeneratorMain.class.getName()),
        strings(c.get("Entrypoint")));
    // No Cmd: the ECS task definition's "command" becomes the generator's arguments as is.
    assertTrue(
        c.path("Cmd").isMissingNode() || c.path("Cmd").isNull() || c.path("Cmd").isEmpty(),
        "Cmd: " + c.get("Cmd"));
    assertEquals("linux", config.get("os").asText());
    assertEquals("amd64", config.get("architecture").asText());
  }

  @Test
  void layersHoldTheClassesTheDependenciesAndTheClasspathFile() throws IOException {
    assertTrue(
        paths.contains("/app/classes/io/tickstream/generator/cli/GeneratorMain.class"),
        "GeneratorMain.class");
    for (String lib :
        List.of("picocli-", "kafka-clients-", "kinesis-", "jackson-core-", "slf4j-simple-")) {
      assertTrue(
          paths.stream().anyMatch(p -> p.startsWith("/app/libs/" + lib) && p.endsWith(".jar")),
          "no /app/libs/" + lib + "*.jar in " + libs());
    }
    assertFalse(
        paths.stream().anyMatch(p -> p.contains("junit")),
        "test dependencies in the image: " + libs());
    assertEquals(
        GeneratorMain.class.getName(),
        Files.readString(inImage("/app/jib-main-class-file")).trim());
    // Every classpath entry the entrypoint names is in the image.
    for (String entry : imageClasspath()) {
      assertTrue(
          paths.contains(entry) || paths.contains(entry + "/"),
          "classpath entry not in the image: " + entry);
    }
    assertTrue(imageClasspath().contains("/app/classes"));
  }

  @Test
  void runsAsTheEcsTaskWouldWithFlagsFromEnvironmentAndArguments() throws Exception {
    Run run =
        runEntrypoint(
            Map.of("TICKSTREAM_SYMBOLS", "AAPL,MSFT", "TICKSTREAM_SEED", "7"),
            "--count",
            "5",
            "--speed",
            "max",
            "--progress-interval",
            "0");
    assertEquals(0, run.exit, run.toString());
    assertEquals(5, run.stdout.size(), run.toString());
    Set<String> symbols = new LinkedHashSet<>();
    for (String line : run.stdout) {
      symbols.add(JSON.readTree(line).get("symbol").asText());
    }
    assertEquals(Set.of("AAPL", "MSFT"), symbols, run.toString());

    // The same seed from the environment gives the same ticks: the flag was really taken from it.
    Run again =
        runEntrypoint(
            Map.of("TICKSTREAM_SYMBOLS", "AAPL,MSFT", "TICKSTREAM_SEED", "7"),
            "--count",
            "5",
            "--speed",
            "max",
            "--progress-interval",
            "0");
    assertEquals(run.stdout, again.stdout);
  }

  @Test
  void environmentAloneConfiguresTheTaskAndArgumentsWin() throws Exception {
    // A task definition with no command at all: every flag from the environment.
    Run envOnly =
        runEntrypoint(
            Map.of(
                "TICKSTREAM_SYMBOLS", "MSFT",
                "TICKSTREAM_COUNT", "3",
                "TICKSTREAM_SPEED", "max",
                "TICKSTREAM_PROGRESS_INTERVAL", "0"));
    assertEquals(0, envOnly.exit, envOnly.toString());
    assertEquals(3, envOnly.stdout.size(), envOnly.toString());
    assertTrue(
        envOnly.stdout.stream().allMatch(l -> l.contains("\"symbol\":\"MSFT\"")),
        envOnly.toString());

    // An argument (the task's command) beats the environment.
    Run both =
        runEntrypoint(
            Map.of(
                "TICKSTREAM_SYMBOLS",
                "MSFT",
                "TICKSTREAM_COUNT",
                "1000",
                "TICKSTREAM_SPEED",
                "max",
                "TICKSTREAM_PROGRESS_INTERVAL",
                "0"),
            "--count",
            "2");
    assertEquals(0, both.exit, both.toString());
    assertEquals(2, both.stdout.size(), both.toString());
  }

  @Test
  void badEnvironmentValueIsOneLineNamingTheFlagAndExitCode2() throws Exception {
    Run run =
        runEntrypoint(
            Map.of("TICKSTREAM_RATE", "abc"),
            "--count",
            "5",
            "--speed",
            "max",
            "--progress-interval",
            "0");
    assertEquals(2, run.exit, run.toString());
    assertEquals(List.of(), run.stdout, run.toString());
    assertEquals(1, run.stderr.size(), run.toString());
    String line = run.stderr.get(0);
    assertTrue(line.contains("--rate") && line.contains("abc"), line);
  }

  // ---------------------------------------------------------------------------------------------

  private static final class Run {
    final int exit;
    final List<String> stdout;
    final List<String> stderr;
    final List<String> command;

    Run(int exit, List<String> stdout, List<String> stderr, List<String> command) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
      this.command = command;
    }

    @Override
    public String toString() {
      return "exit "
          + exit
          + " of "
          + command
          + "\nstdout:\n"
          + String.join("\n", stdout)
          + "\nstderr:\n"
          + String.join("\n", stderr);
    }
  }

  /**
   * Runs the image's entrypoint with these arguments appended, as a container runtime would, except
   * that "java" is this JVM's (the image's base supplies it in ECS) and the classpath file is the
   * image's with /app mapped to the extracted layers.
   */
  private static Run runEntrypoint(Map<String, String> env, String... args) throws Exception {
    Path classpathFile = work.resolve("jib-classpath-file");
    if (!Files.exists(classpathFile)) {
      String mapped =
          imageClasspath().stream()
              .map(e -> inImage(e).toString())
              .collect(Collectors.joining(":"));
      Files.writeString(classpathFile, mapped);
    }
    List<String> command = new ArrayList<>();
    for (String part : strings(config.get("config").get("Entrypoint"))) {
      if (part.equals("java")) {
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      } else if (part.equals("@" + CLASSPATH_FILE)) {
        command.add("@" + classpathFile);
      } else {
        command.add(part);
      }
    }
    command.addAll(List.of(args));

    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    // A container starts with only the image's and the task's environment.
    Map<String, String> environment = pb.environment();
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("TICKSTREAM_")
                    || k.startsWith("JAVA_TOOL")
                    || k.startsWith("JDK_JAVA"));
    environment.putAll(env);
    Path out = Files.createTempFile(work, "stdout", ".txt");
    Path err = Files.createTempFile(work, "stderr", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the entrypoint did not finish in 60 s: " + command + "\n" + Files.readString(err));
    }
    return new Run(p.exitValue(), lines(out), lines(err), command);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).collect(Collectors.toList());
  }

  /** The classpath entries of the image's jib-classpath-file, as absolute paths in the image. */
  private static List<String> imageClasspath() {
    try {
      return List.of(Files.readString(inImage(CLASSPATH_FILE)).trim().split(":"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path inImage(String absolutePath) {
    return rootfs.resolve(absolutePath.replaceFirst("^/+", ""));
  }

  private static List<String> libs() {
    return paths.stream().filter(p -> p.startsWith("/app/libs/")).collect(Collectors.toList());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static InputStream maybeGunzip(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /**
   * Just enough of a tar reader for image tarballs and their layers: ustar headers (512-byte
   * blocks, name + prefix), PAX extended headers (jib writes one per entry) and GNU long names.
   * Regular files and directories are extracted; anything else is only named.
   */
  static final class Tar {
    private static final int BLOCK = 512;

    private Tar() {}

    static void extract(InputStream in, Path dest, Consumer<String> onEntry) throws IOException {
      byte[] header = new byte[BLOCK];
      Map<String, String> pax = new HashMap<>();
      String longName = null;
      while (readBlock(in, header)) {
        if (isZero(header)) {
          return; // end of archive
        }
        char type = (char) header[156];
        long size =
            pax.containsKey("size") ? Long.parseLong(pax.get("size")) : octal(header, 124, 12);
        String name = cString(header, 0, 100);
        if (new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
          String prefix = cString(header, 345, 155);
          if (!prefix.isEmpty()) {
            name = prefix + "/" + name;
          }
        }
        if (type == 'x' || type == 'g' || type == 'L') {
          byte[] data = readData(in, size);
          if (type == 'x') {
            pax.putAll(parsePax(data));
          } else if (type == 'L') {
            longName = cString(data, 0, data.length);
          }
          continue;
        }
        if (longName != null) {
          name = longName;
        }
        if (pax.containsKey("path")) {
          name = pax.get("path");
        }
        pax.clear();
        longName = null;

        Path target = dest.resolve(name.replaceFirst("^(\\./|/)+", "")).normalize();
        if (!target.startsWith(dest)) {
          throw new IOException("tar entry outside the destination: " + name);
        }
        onEntry.accept(name);
        if (type == '5') {
          Files.createDirectories(target);
          skip(in, padded(size));
        } else if (type == '0' || type == '\0') {
          Files.createDirectories(target.getParent());
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, size);
          }
          skip(in, padded(size) - size);
        } else {
          skip(in, padded(size));
        }
      }
    }

    private static Map<String, String> parsePax(byte[] data) {
      // Records: "<length> <key>=<value>\n", the length counting the whole record in bytes.
      Map<String, String> out = new HashMap<>();
      int pos = 0;
      while (pos < data.length) {
        int space = pos;
        while (space < data.length && data[space] != ' ') {
          space++;
        }
        if (space >= data.length) {
          break;
        }
        int len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
        String record =
            new String(data, space + 1, len - (space - pos) - 2, StandardCharsets.UTF_8);
        int eq = record.indexOf('=');
        out.put(record.substring(0, eq), record.substring(eq + 1));
        pos += len;
      }
      return out;
    }

    private static long padded(long size) {
      return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
      int n = in.readNBytes(block, 0, BLOCK);
      if (n == 0) {
        return false;
      }
      if (n < BLOCK) {
        throw new IOException("truncated tar header");
      }
      return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(in, out, size);
      skip(in, padded(size) - size);
      return out.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
      byte[] buf = new byte[1 << 16];
      long left = size;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("truncated tar entry");
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }

    private static void skip(InputStream in, long n) throws IOException {
      in.skipNBytes(n);
    }

    private static boolean isZero(byte[] block) {
      for (byte b : block) {
        if (b != 0) {
          return false;
        }
      }
      return true;
    }

    private static String cString(byte[] b, int off, int len) {
      int end = off;
      while (end < off + len && b[end] != 0) {
        end++;
      }
      return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
      String s = cString(b, off, len).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
  }
}
