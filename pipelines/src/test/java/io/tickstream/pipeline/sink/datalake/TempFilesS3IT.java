package io.tickstream.pipeline.sink.datalake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.testing.S3rver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TempFiles#clear} on an {@code s3://} lake, through Beam's S3 file system against a real
 * s3rver: the writer's staged objects go, in every dataset; another writer's and the lake's own
 * files stay.
 */
class TempFilesS3IT {
  private static final String BUCKET = "tickstream-lake";

  @TempDir Path s3Data;

  @Test
  void clearsTheWritersStagedObjectsAndNothingElse() throws Exception {
    try (S3rver s3 = S3rver.start(s3Data, BUCKET)) {
      S3rverLake.installed(s3);
      LakeConfig lake = LakeConfig.at("s3://" + BUCKET + "/lake").withWriter("stream-0a1b2c3d");
      put(lake.tempDirectory(Dataset.TICKS) + ".temp-beam/left-by-kill-9");
      put(lake.tempDirectory(Dataset.TRADES) + ".temp-beam/left-too");
      put(lake.withWriter("backfill").tempDirectory(Dataset.TICKS) + ".temp-beam/in-flight");
      put(lake.location(Dataset.TICKS) + "/dt=2025-01-02/hour=14/part-0.parquet");

      assertEquals(2, TempFiles.clear(lake));
      assertEquals(
          List.of(
              "lake/ticks/.temp-backfill/.temp-beam/in-flight",
              "lake/ticks/dt=2025-01-02/hour=14/part-0.parquet"),
          s3.keys(BUCKET, "lake/").stream().sorted().toList());
      assertEquals(0, TempFiles.clear(lake), "nothing left to clear");
    }
  }

  private static void put(String path) throws IOException {
    try (WritableByteChannel channel =
        FileSystems.create(FileSystems.matchNewResource(path, false), "application/octet-stream")) {
      channel.write(ByteBuffer.wrap("staged".getBytes(StandardCharsets.UTF_8)));
    }
  }
}
