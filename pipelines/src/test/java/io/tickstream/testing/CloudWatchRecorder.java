package io.tickstream.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP endpoint on 127.0.0.1 (a port the system picks) that takes CloudWatch PutMetricData
 * requests as AWS SDK 2.20's client sends them (the query protocol: a form-encoded POST) and keeps
 * every value it was sent, for tests of what the pipeline publishes. No CloudWatch stand-in is
 * available here, so this checks the requests, not CloudWatch's acceptance of them; anything but a
 * PutMetricData request fails the test that made it with a 400 and is kept in {@link #rejected()}.
 * {@link #failWith(int, String)} makes it answer as CloudWatch does when it refuses a request.
 */
public final class CloudWatchRecorder implements AutoCloseable {
  /** One value of one metric, as sent. */
  public record Datum(
      String namespace,
      String metricName,
      double value,
      String unit,
      int storageResolution,
      Instant timestamp,
      Map<String, String> dimensions) {}

  private static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

  private final HttpServer server;
  private final List<Datum> data = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();
  private int failStatus;
  private String failCode;

  private CloudWatchRecorder(HttpServer server) {
    this.server = server;
  }

  /** Starts the endpoint. */
  public static CloudWatchRecorder start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CloudWatchRecorder recorder = new CloudWatchRecorder(server);
    server.createContext("/", recorder::handle);
    server.start();
    return recorder;
  }

  /** Where clients send to. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every value taken so far, in the order sent. */
  public synchronized List<Datum> data() {
    return List.copyOf(data);
  }

  /** The requests it could not read as PutMetricData, each described in one line. */
  public synchronized List<String> rejected() {
    return List.copyOf(rejected);
  }

  /** From now on, answers every request with {@code status} and CloudWatch error {@code code}. */
  public synchronized void failWith(int status, String code) {
    this.failStatus = status;
    this.failCode = code;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
      Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
      synchronized (this) {
        if (!type.startsWith("application/x-www-form-urlencoded")
            || !"PutMetricData".equals(form.get("Action"))) {
          rejected.add(exchange.getRequestMethod() + " " + type + " " + form);
          respond(exchange, 400, error("InvalidAction", "not a PutMetricData request"));
          return;
        }
        if (failStatus != 0) {
          respond(exchange, failStatus, error(failCode, "refused by the test"));
          return;
        }
        data.addAll(datums(form));
      }
      respond(
          exchange,
          200,
          "<PutMetricDataResponse xmlns=\""
              + XMLNS
              + "\"><ResponseMetadata><RequestId>test</RequestId></ResponseMetadata>"
              + "</PutMetricDataResponse>");
    }
  }

  private static List<Datum> datums(Map<String, String> form) {
    List<Datum> out = new ArrayList<>();
    for (int i = 1; form.containsKey("MetricData.member." + i + ".MetricName"); i++) {
      String p = "MetricData.member." + i + ".";
      Map<String, String> dimensions = new TreeMap<>();
      for (int d = 1; form.containsKey(p + "Dimensions.member." + d + ".Name"); d++) {
        dimensions.put(
            form.get(p + "Dimensions.member." + d + ".Name"),
            form.get(p + "Dimensions.member." + d + ".Value"));
      }
      out.add(
          new Datum(
              form.get("Namespace"),
              form.get(p + "MetricName"),
              Double.parseDouble(form.get(p + "Value")),
              form.get(p + "Unit"),
              Integer.parseInt(form.getOrDefault(p + "StorageResolution", "60")),
              Instant.parse(form.get(p + "Timestamp")),
              dimensions));
    }
    return out;
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static String error(String code, String message) {
    return "<ErrorResponse xmlns=\""
        + XMLNS
        + "\"><Error><Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error><RequestId>test</RequestId></ErrorResponse>";
  }

  private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
