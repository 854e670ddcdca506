package io.tickstream.testing;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local (AWS's DynamoDB stand-in, {@code software.amazon.dynamodb:DynamoDBLocal:3.1.0}) in
 * this JVM, in memory, listening on 127.0.0.1 on a port the system picks, for integration tests of
 * anything that reads or writes DynamoDB.
 *
 * <p>DynamoDB Local is built against AWS SDK 2.33 model classes and cannot run on the SDK 2.20.47
 * that Beam and this project use, so it is not on the test classpath: it lives in a class loader of
 * its own (parent: the platform class loader), made once per JVM from the jar list named by the
 * system property {@value #CLASSPATH_PROPERTY}. The build writes that list in pre-integration-test
 * ({@code test-servers/dynamodb-local/classpath.sh} into {@code
 * target/dynamodb-local/classpath.txt}) and failsafe passes the property. One class loader serves
 * every server of the JVM, since sqlite4java's native library can be loaded by one class loader
 * only; its jar bundles that library, so no {@code sqlite4java.library.path} is needed.
 *
 * <p>The server runs with {@code -sharedDb} (one database whatever the region and credentials) and
 * {@code -disableTelemetry}. Tables become ACTIVE at once. Clients reach it with {@link
 * #endpoint()}, {@link #REGION}, {@link #ACCESS_KEY_ID} and {@link #SECRET_ACCESS_KEY}. {@link
 * #close()} stops the server and everything it holds is gone.
 */
public final class DynamoDbLocal implements AutoCloseable {
  /** A file holding DynamoDB Local's classpath: jar paths separated by the path separator. */
  public static final String CLASSPATH_PROPERTY = "tickstream.dynamodbLocalClasspath";

  /** Any region works: the server keeps one database for all of them ({@code -sharedDb}). */
  public static final Region REGION = Region.US_EAST_1;

  /** Any credentials work; DynamoDB Local checks that requests are signed, not by whom. */
  public static final String ACCESS_KEY_ID = "local";

  public static final String SECRET_ACCESS_KEY = "local";

  public static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));

  private static final String SERVER_RUNNER =
      "software.amazon.dynamodb.services.local.main.ServerRunner";

  private static @Nullable ClassLoader loader;

  private final Object server;
  private final URI endpoint;
  private @Nullable DynamoDbClient client;

  private DynamoDbLocal(Object server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts an empty in-memory DynamoDB Local; about a second the first time in a JVM. */
  public static DynamoDbLocal start() throws IOException {
    ClassLoader ddb = loader();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // Jetty's threads and the SDK's service lookups inside DynamoDB Local use the context loader.
    thread.setContextClassLoader(ddb);
    try {
      // "-port" must be 1-65535 for the command line; the connector is moved to 127.0.0.1 and a
      // port the system picks below, before anything binds (the start banner still says 8000).
      Object server =
          ddb.loadClass(SERVER_RUNNER)
              .getMethod("createServerFromCommandLineArgs", String[].class)
              .invoke(
                  null,
                  (Object)
                      new String[] {
                        "-inMemory", "-sharedDb", "-disableTelemetry", "-port", "8000"
                      });
      Object connector = connector(server);
      call(connector, "setHost", new Class<?>[] {String.class}, "127.0.0.1");
      call(connector, "setPort", new Class<?>[] {int.class}, 0);
      // safeStart: start() would also try to send start-up telemetry.
      call(server, "safeStart", new Class<?>[0]);
      int port = (Integer) call(connector, "getLocalPort", new Class<?>[0]);
      if (port <= 0) {
        call(server, "stop", new Class<?>[0]);
        throw new IOException("DynamoDB Local started but its connector reports port " + port);
      }
      return new DynamoDbLocal(server, port);
    } catch (ReflectiveOperationException e) {
      throw new IOException(
          "cannot start DynamoDB Local 3.1.0 from " + System.getProperty(CLASSPATH_PROPERTY),
          cause(e));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Where clients connect, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return endpoint;
  }

  /** A synchronous client for this server, shared by callers and closed by {@link #close()}. */
  public synchronized DynamoDbClient client() {
    if (client == null) {
      client =
          DynamoDbClient.builder()
              .endpointOverride(endpoint)
              .region(REGION)
              .credentialsProvider(CREDENTIALS)
              .httpClientBuilder(ApacheHttpClient.builder())
              .build();
    }
    return client;
  }

  /** Closes {@link #client()} and stops the server; its tables are gone. */
  @Override
  public synchronized void close() throws IOException {
    if (client != null) {
      client.close();
      client = null;
    }
    try {
      call(server, "stop", new Class<?>[0]);
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot stop DynamoDB Local at " + endpoint, cause(e));
    }
  }

  /** The Jetty connector of a DynamoDBProxyServer that has not started yet. */
  private static Object connector(Object server) throws ReflectiveOperationException {
    // DynamoDBProxyServer builds `new Server(port)` (all interfaces) and offers no host setting.
    java.lang.reflect.Field field = server.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object jetty = field.get(server);
    Object[] connectors = (Object[]) call(jetty, "getConnectors", new Class<?>[0]);
    if (connectors.length != 1) {
      throw new NoSuchFieldException(
          "expected one Jetty connector in DynamoDB Local, found " + connectors.length);
    }
    return connectors[0];
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args)
      throws ReflectiveOperationException {
    Method m = target.getClass().getMethod(name, types);
    return m.invoke(target, args);
  }

  private static Throwable cause(ReflectiveOperationException e) {
    return e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
  }

  private static synchronized ClassLoader loader() throws IOException {
    if (loader == null) {
      loader = new URLClassLoader("dynamodb-local", jars(), ClassLoader.getPlatformClassLoader());
    }
    return loader;
  }

  private static URL[] jars() throws IOException {
    String file = System.getProperty(CLASSPATH_PROPERTY);
    String howTo =
        "The build writes DynamoDB Local's classpath in pre-integration-test"
            + " (test-servers/dynamodb-local/classpath.sh into target/dynamodb-local/classpath.txt)"
            + " and failsafe passes -D"
            + CLASSPATH_PROPERTY
            + "; run the test with `mvn verify`, or run `bash"
            + " test-servers/dynamodb-local/classpath.sh"
            + " pipelines/target/dynamodb-local/classpath.txt mvn ~/.m2/repository offline=false`"
            + " and pass the property.";
    if (file == null || file.isBlank()) {
      throw new IllegalStateException(
          "System property " + CLASSPATH_PROPERTY + " is not set. " + howTo);
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "System property " + CLASSPATH_PROPERTY + "=" + file + " names no file. " + howTo);
    }
    List<URL> urls = new ArrayList<>();
    for (String entry :
        Files.readString(path, StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator)) {
      // The list also names the sqlite4java .so/.dll/.dylib artifacts; only jars go on a classpath.
      if (entry.endsWith(".jar")) {
        Path jar = Path.of(entry);
        if (!Files.isRegularFile(jar)) {
          throw new IllegalStateException(
              file + " names " + jar + ", which does not exist. " + howTo);
        }
        urls.add(toUrl(jar));
      }
    }
    if (urls.stream().noneMatch(u -> u.getPath().contains("DynamoDBLocal"))) {
      throw new IllegalStateException(file + " does not name the DynamoDBLocal jar. " + howTo);
    }
    return urls.toArray(new URL[0]);
  }

  private static URL toUrl(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
