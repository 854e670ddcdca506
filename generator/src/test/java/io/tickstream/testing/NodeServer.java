package io.tickstream.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test server run by {@code node} from a wrapper script in the build's test-servers directory:
 * the script binds 127.0.0.1 on a free port and prints {@code LISTENING <port>} once it serves.
 *
 * <p>The scripts and their {@code node_modules} are installed by the build before the integration
 * tests ({@code test-servers/install.sh} into {@code <module>/target/test-servers}); failsafe
 * passes the {@code node_modules} directory as {@value #TEST_SERVERS_PROPERTY} and the node
 * executable as {@value #NODE_PROPERTY}. {@link #close()} kills the process and its children.
 */
public final class NodeServer implements AutoCloseable {
  /** The {@code node_modules} directory; its parent holds the wrapper scripts. */
  public static final String TEST_SERVERS_PROPERTY = "tickstream.testServers";

  /** The node executable; {@code node} from the PATH when unset. */
  public static final String NODE_PROPERTY = "tickstream.node";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int OUTPUT_LINES_KEPT = 40;

  private final String name;
  private final Process process;
  private final Deque<String> output;
  private final int port;

  private NodeServer(String name, Process process, Deque<String> output, int port) {
    this.name = name;
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /**
   * Runs {@code node <script> <args...>} from the test-servers directory and waits for its {@code
   * LISTENING <port>} line.
   *
   * @param npmPackage the package the script needs, checked to be installed
   * @param script the wrapper script's file name, e.g. {@code s3rver-server.js}
   * @throws IOException when node cannot run or the script does not listen within 30 s; the message
   *     carries the script's last output lines
   */
  public static NodeServer start(String npmPackage, String script, List<String> args)
      throws IOException {
    return start(npmPackage, script, args, Map.of());
  }

  /**
   * Like {@link #start(String, String, List)}, with {@code environment} added to the script's
   * environment (e.g. settings the wrapper script reads from environment variables).
   */
  public static NodeServer start(
      String npmPackage, String script, List<String> args, Map<String, String> environment)
      throws IOException {
    Path scriptPath = script(npmPackage, script);
    List<String> command = new ArrayList<>();
    command.add(System.getProperty(NODE_PROPERTY, "node"));
    command.add(scriptPath.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(scriptPath.getParent().toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run node (" + command.get(0) + "; set -D" + NODE_PROPERTY + ")", e);
    }

    Deque<String> output = new ArrayDeque<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> readOutput(process, output, port), script + "-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      return new NodeServer(
          script, process, output, port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroyTree(process);
      throw new IOException("interrupted while starting " + script, e);
    } catch (ExecutionException | TimeoutException e) {
      destroyTree(process);
      throw new IOException(
          script
              + " did not print LISTENING within "
              + START_TIMEOUT
              + "; its output:\n"
              + String.join("\n", snapshot(output)),
          e);
    }
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The server's last output lines, for failure messages. */
  public String recentOutput() {
    return name + " output:\n" + String.join("\n", snapshot(output));
  }

  /** Kills the server process and its children. */
  @Override
  public void close() {
    destroyTree(process);
  }

  private static Path script(String npmPackage, String script) {
    String modules = System.getProperty(TEST_SERVERS_PROPERTY);
    String howTo =
        "The build installs the test servers in pre-integration-test (test-servers/install.sh"
            + " into target/test-servers) and failsafe passes -D"
            + TEST_SERVERS_PROPERTY
            + "=<module>/target/test-servers/node_modules; run the test with `mvn verify`, or run"
            + " `bash test-servers/install.sh <module>/target/test-servers` and pass the property.";
    if (modules == null || modules.isBlank()) {
      throw new IllegalStateException(
          "System property " + TEST_SERVERS_PROPERTY + " is not set. " + howTo);
    }
    Path dir = Path.of(modules);
    Path path = dir.getParent() == null ? null : dir.getParent().resolve(script);
    if (!Files.isDirectory(dir.resolve(npmPackage)) || path == null || !Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "System property "
              + TEST_SERVERS_PROPERTY
              + "="
              + modules
              + " does not hold node_modules/"
              + npmPackage
              + " with "
              + script
              + " beside it. "
              + howTo);
    }
    return path;
  }

  private static void readOutput(
      Process process, Deque<String> output, CompletableFuture<Integer> port) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.addLast(line);
          if (output.size() > OUTPUT_LINES_KEPT) {
            output.removeFirst();
          }
        }
        if (!port.isDone() && line.startsWith("LISTENING ")) {
          port.complete(Integer.parseInt(line.substring("LISTENING ".length()).trim()));
        }
      }
      port.completeExceptionally(new IOException("the server exited before printing LISTENING"));
    } catch (IOException | RuntimeException e) {
      port.completeExceptionally(e);
    }
  }

  private static List<String> snapshot(Deque<String> output) {
    synchronized (output) {
      return new ArrayList<>(output);
    }
  }

  private static void destroyTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
