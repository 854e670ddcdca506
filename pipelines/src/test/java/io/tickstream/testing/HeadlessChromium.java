package io.tickstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol on a
 * WebSocket to 127.0.0.1: the browser picks its own free port and prints it. One page, its console
 * errors and uncaught exceptions collected. Closing it kills the browser and deletes its profile.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private String session;

  private HeadlessChromium(Process process, Path profile, URI browser) throws Exception {
    this.process = process;
    this.profile = profile;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(browser, new Listener())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The browser's executable: {@code chromium} on the PATH. */
  public static Path executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "chromium is not on the PATH: install Debian's package (apt-get install chromium), as"
            + " README.md's prerequisites say");
  }

  /** Starts the browser with a fresh profile and opens one blank page of the given size. */
  public static HeadlessChromium start(int width, int height) throws Exception {
    Path profile = Files.createTempDirectory("tickstream-chromium");
    Process process =
        new ProcessBuilder(
                executable().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      HeadlessChromium browser = new HeadlessChromium(process, profile, devToolsAddress(process));
      browser.openPage(width, height);
      return browser;
    } catch (Exception | Error e) {
      process.destroyForcibly().waitFor();
      deleteTree(profile);
      throw e;
    }
  }

  /** The browser's DevTools WebSocket address, from the line it prints on start. */
  private static URI devToolsAddress(Process process) throws Exception {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<URI> address = new CompletableFuture<>();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line; (line = err.readLine()) != null; ) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    address.complete(URI.create(m.group(1)));
                  } else if (!address.isDone()) {
                    seen.add(line);
                  }
                }
              } catch (IOException e) {
                // the browser has gone; the future below says so
              }
              address.completeExceptionally(
                  new IllegalStateException("chromium exited before listening: " + seen));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    return address.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private void openPage(int width, int height) throws Exception {
    String target =
        call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    session =
        call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .get("sessionId")
            .asText();
    listeners.add(this::collectProblem);
    send("Runtime.enable", Map.of());
    send("Log.enable", Map.of());
    send("Page.enable", Map.of());
    send(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Opens {@code url} in the page and waits for its load event. */
  public void navigate(URI url) throws Exception {
    CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
    Consumer<JsonNode> onLoad =
        event -> {
          if ("Page.loadEventFired".equals(event.path("method").asText())) {
            loaded.complete(event);
          }
        };
    listeners.add(onLoad);
    try {
      JsonNode result = send("Page.navigate", Map.of("url", url.toString()));
      if (result.hasNonNull("errorText")) {
        throw new IllegalStateException("cannot open " + url + ": " + result.get("errorText"));
      }
      loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      listeners.remove(onLoad);
    }
  }

  /** Evaluates a JavaScript expression in the page; returns its value as JSON. */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode result =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(
          expression + " threw " + result.get("exceptionDetails").toPrettyString());
    }
    return result.path("result").path("value");
  }

  /** The whole page, beyond the viewport, as a PNG. */
  public byte[] screenshot() throws Exception {
    JsonNode shot =
        send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    return Base64.getDecoder().decode(shot.get("data").asText());
  }

  /** Console errors and warnings, failed loads and uncaught exceptions, as one line each. */
  public List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  private void collectProblem(JsonNode event) {
    JsonNode params = event.path("params");
    switch (event.path("method").asText()) {
      case "Runtime.exceptionThrown" ->
          problems.add("exception: " + params.path("exceptionDetails").toString());
      case "Runtime.consoleAPICalled" -> {
        String type = params.path("type").asText();
        if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
          problems.add("console." + type + ": " + params.path("args").toString());
        }
      }
      case "Log.entryAdded" -> {
        String level = params.path("entry").path("level").asText();
        if (level.equals("error") || level.equals("warning")) {
          problems.add("log " + level + ": " + params.path("entry").path("text").asText());
        }
      }
      default -> {}
    }
  }

  private JsonNode send(String method, Map<String, Object> params) throws Exception {
    return call(session, method, params);
  }

  private JsonNode call(String sessionId, String method, Map<String, Object> params)
      throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket
        .sendText(JSON.writeValueAsString(message), true)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode answer = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.path("result");
  }

  /** Answers go to their caller, events to the listeners; long messages come in parts. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          } else {
            listeners.forEach(l -> l.accept(message));
          }
        } catch (IOException e) {
          problems.add("unreadable DevTools message: " + e.getMessage());
        } finally {
          text.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  @Override
  public void close() throws Exception {
    List<ProcessHandle> children = process.descendants().toList();
    try {
      call(null, "Browser.close", Map.of());
    } catch (Exception e) {
      // it is going anyway
    } finally {
      socket.abort();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      children.forEach(ProcessHandle::destroyForcibly);
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
