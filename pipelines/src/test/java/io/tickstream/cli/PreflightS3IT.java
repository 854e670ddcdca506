package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.testing.S3rver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An {@code s3://} lake is checked before a runner starts, against a real s3rver: a bucket that
 * answers and takes an object passes (and keeps no probe object), a missing bucket or an endpoint
 * nobody listens on is one line naming {@code --lake}.
 */
class PreflightS3IT {
  private static final String BUCKET = "lake-bucket";

  @TempDir Path s3Data;

  private final List<JobRun.Job> launched = new ArrayList<>();

  private record Result(int code, String err) {}

  private Result stream(String endpoint, String lake) {
    CommandLine cl =
        Tickstream.commandLine(
            Map.of(),
            (job, err) -> {
              launched.add(job);
              return 0;
            });
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code =
        cl.execute(
            "stream",
            "--duration=1m",
            "--lake=" + lake,
            "--endpoint=" + endpoint,
            "--awsRegion=" + S3rver.REGION,
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
                + S3rver.ACCESS_KEY_ID
                + "\",\"secretAccessKey\":\""
                + S3rver.SECRET_ACCESS_KEY
                + "\"}",
            "--s3-path-style-access",
            "--s3-chunked-encoding=false");
    return new Result(code, err.toString());
  }

  @Test
  void aReachableBucketPassesAndAMissingOneIsNamed() throws Exception {
    try (S3rver s3 = S3rver.start(s3Data, BUCKET)) {
      Result ok = stream(s3.endpoint().toString(), "s3://" + BUCKET + "/lake");
      assertEquals(0, ok.code(), ok.err());
      assertEquals(1, launched.size());
      assertEquals(List.of(), s3.keys(BUCKET, ""), "the probe object was removed again");

      Result missing = stream(s3.endpoint().toString(), "s3://no-such-bucket/lake");
      assertEquals(2, missing.code(), missing.err());
      assertEquals(1, missing.err().strip().lines().count(), missing.err());
      assertTrue(missing.err().contains("--lake"), missing.err());
      assertTrue(missing.err().contains("no-such-bucket"), missing.err());
      assertEquals(1, launched.size(), "no job started");
    }
  }

  @Test
  void anEndpointNobodyListensOnIsNamed() {
    Result r = stream("http://127.0.0.1:" + freePort(), "s3://" + BUCKET + "/lake");
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--lake") && r.err().contains("cannot be reached"), r.err());
    assertTrue(launched.isEmpty());
  }

  private static int freePort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
