package io.tickstream.pipeline.sink.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** Checks, defaults, serialization and printing of {@link PositionsTableConfig}. */
class PositionsTableConfigTest {
  @Test
  void defaultsToAwsWithTheDefaultCredentialsChain() {
    PositionsTableConfig c = PositionsTableConfig.of("tickstream-positions", "eu-west-1");
    assertEquals("tickstream-positions", c.tableName());
    assertEquals("eu-west-1", c.region());
    assertNull(c.endpoint());
    assertNull(c.accessKeyId());
    assertNull(c.secretAccessKey());
    assertEquals("tickstream-positions (eu-west-1)", c.describe());
  }

  @Test
  void survivesJavaSerializationWithEndpointAndCredentials() {
    PositionsTableConfig c =
        PositionsTableConfig.of("positions", "us-east-1")
            .withEndpoint(URI.create("http://127.0.0.1:8000"))
            .withStaticCredentials("AKID", "s3cr3t");
    assertEquals(c, SerializableUtils.clone(c));
    assertEquals("positions (us-east-1 at http://127.0.0.1:8000)", c.describe());
  }

  @Test
  void toStringNeverShowsTheSecret() {
    String s =
        PositionsTableConfig.of("positions", "us-east-1")
            .withStaticCredentials("AKID", "s3cr3t")
            .toString();
    assertFalse(s.contains("s3cr3t"), s);
    assertTrue(s.contains("AKID/****"), s);
  }

  @Test
  void rejectsBadTableNamesRegionsEndpointsAndHalfCredentials() {
    assertMessage("got 'ab'", () -> PositionsTableConfig.of("ab", "us-east-1"));
    assertMessage("got 'a b c'", () -> PositionsTableConfig.of("a b c", "us-east-1"));
    assertMessage("needs an AWS region", () -> PositionsTableConfig.of("positions", " "));
    assertMessage(
        "http or https URL",
        () -> PositionsTableConfig.of("positions", "us-east-1").withEndpoint(URI.create("/x")));
    assertMessage(
        "an access key id and no secret",
        () ->
            PositionsTableConfig.of("positions", "us-east-1").withStaticCredentials("AKID", null));
    assertMessage(
        "no access key id and a secret",
        () -> PositionsTableConfig.of("positions", "us-east-1").withStaticCredentials(" ", "x"));
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
