package io.tickstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An s3rver (a local S3 stand-in) in a child {@code node} process on 127.0.0.1 and a free port,
 * storing objects in a directory the test owns, for integration tests of anything that writes S3.
 *
 * <p>Started through {@code s3rver-server.js} (see {@link NodeServer} for how the build installs
 * it). Buckets named at start exist at once. Any credentials and any region work: signatures are
 * checked for form only. Clients must use path-style addressing, and over plain HTTP must not use
 * aws-chunked uploads (s3rver stores such bodies verbatim, chunk headers included).
 *
 * <p>On disk, s3rver keeps object {@code key} of {@code bucket} as {@code
 * <dataDirectory>/<bucket>/<key>._S3rver_object}, the key's {@code /}-separated prefixes being
 * directories, with {@code ._S3rver_metadata.json} and {@code ._S3rver_object.md5} files beside it.
 * {@link #objectFile} and {@link #keys} read that layout, so tests can inspect what was stored
 * (e.g. with tools that cannot speak S3) without going through S3. {@link #close()} kills the
 * server; the data directory stays.
 */
public final class S3rver implements AutoCloseable {
  /** Any region works; clients only need one to sign. */
  public static final String REGION = "us-east-1";

  /** s3rver's default key pair; any pair works. */
  public static final String ACCESS_KEY_ID = "S3RVER";

  public static final String SECRET_ACCESS_KEY = "S3RVER";

  /** Appended by s3rver to each stored object's key to name the file holding its bytes. */
  public static final String OBJECT_SUFFIX = "._S3rver_object";

  private final NodeServer server;
  private final Path dataDirectory;

  private S3rver(NodeServer server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  /** Starts s3rver storing into {@code dataDirectory}, with {@code buckets} created. */
  public static S3rver start(Path dataDirectory, String... buckets) throws IOException {
    List<String> args = new ArrayList<>();
    args.add(dataDirectory.toAbsolutePath().toString());
    args.addAll(List.of(buckets));
    return new S3rver(
        NodeServer.start("s3rver", "s3rver-server.js", args), dataDirectory.toAbsolutePath());
  }

  /** Where clients connect, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The directory s3rver stores buckets in. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The directory holding {@code bucket}'s objects. */
  public Path bucketDirectory(String bucket) {
    return dataDirectory.resolve(bucket);
  }

  /** The file holding the bytes of object {@code key} in {@code bucket} (present or not). */
  public Path objectFile(String bucket, String key) {
    return bucketDirectory(bucket).resolve(key + OBJECT_SUFFIX);
  }

  /** The keys of the objects stored in {@code bucket} under {@code prefix}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    Path root = bucketDirectory(bucket);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/"))
          .filter(k -> k.endsWith(OBJECT_SUFFIX))
          .map(k -> k.substring(0, k.length() - OBJECT_SUFFIX.length()))
          .filter(k -> k.startsWith(prefix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's last output lines, for failure messages. */
  public String recentOutput() {
    return server.recentOutput();
  }

  /** Kills the server process. */
  @Override
  public void close() {
    server.close();
  }
}
