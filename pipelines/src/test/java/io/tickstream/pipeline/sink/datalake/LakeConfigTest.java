package io.tickstream.pipeline.sink.datalake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.model.Dataset;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class LakeConfigTest {
  @Test
  void defaultsAreOneMinuteFilesOneShardAndOneDayOfLateness() {
    LakeConfig config = LakeConfig.at("s3://bucket/lake/");
    assertEquals("s3://bucket/lake", config.root());
    assertEquals(Duration.ofMinutes(1), config.fileWindow());
    assertEquals(1, config.shards());
    assertEquals(Duration.ofDays(1), config.allowedLateness());
    assertEquals("s3://bucket/lake/bars_1m", config.location(Dataset.BARS_1M));
    assertEquals(config, SerializableUtils.clone(config));
  }

  @Test
  void eachWriterStagesInAHiddenDirectoryOfItsOwn() {
    LakeConfig config = LakeConfig.at("/data/lake");
    assertEquals("/data/lake/ticks/.temp-tickstream/", config.tempDirectory(Dataset.TICKS));
    assertEquals(
        "/data/lake/trades/.temp-stream-0a1b2c3d/",
        config.withWriter("stream-0a1b2c3d").tempDirectory(Dataset.TRADES));
    assertMessage("lower-case letters", () -> config.withWriter("Stream"));
    assertMessage("lower-case letters", () -> config.withWriter("../x"));
    assertMessage("lower-case letters", () -> config.withWriter(""));
  }

  @Test
  void localRootsAreMadeAbsolute() {
    assertEquals(Path.of("lake").toAbsolutePath().toString(), LakeConfig.at("./lake/").root());
    assertEquals("/data/lake/ticks", LakeConfig.at("/data/lake").location(Dataset.TICKS));
  }

  @Test
  void rejectsSettingsThatCannotNameOrHoldFiles() {
    LakeConfig config = LakeConfig.at("/data/lake");
    assertMessage("whole seconds", () -> config.withFileWindow(Duration.ofMillis(1500)));
    assertMessage("whole seconds", () -> config.withFileWindow(Duration.ZERO));
    assertMessage("whole seconds", () -> config.withFileWindow(Duration.ofDays(2)));
    assertMessage("between 1 and", () -> config.withShards(0));
    assertMessage("between 1 and", () -> config.withShards(LakeConfig.MAX_SHARDS + 1));
    assertMessage("negative", () -> config.withAllowedLateness(Duration.ofSeconds(-1)));
    assertMessage("no bucket", () -> LakeConfig.at("s3://"));
    assertTrue(LakeConfig.at("s3://b/l").onS3());
    assertMessage("file system root", () -> LakeConfig.at("/"));
    assertMessage("must not be negative", () -> config.withAllowedLateness(Duration.ofDays(-1)));
  }

  private static void assertMessage(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
