package io.tickstream.pipeline.sink.datalake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.LakeRecords;
import io.tickstream.testing.S3rver;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes every dataset to {@code s3://} through Beam's S3 file system against a real s3rver,
 * configured only through pipeline options, and reads the stored objects back with DuckDB.
 */
class WriteLakeS3IT {
  private static final String BUCKET = "tickstream-lake";
  private static final String PREFIX = "lake";

  @TempDir Path s3Data;
  @TempDir Path localLake;

  @Test
  void writesEveryDatasetToS3AsItWouldLocally() throws Exception {
    try (S3rver s3 = S3rver.start(s3Data, BUCKET)) {
      PipelineOptions options = S3rverLake.installed(s3);

      TestPipeline p = TestPipeline.fromOptions(options).enableAbandonedNodeEnforcement(true);
      LakeRecords.allDatasets(p)
          .apply("WriteLake", WriteLake.to(LakeConfig.at("s3://" + BUCKET + "/" + PREFIX)));
      p.run().waitUntilFinish();

      List<String> keys = s3.keys(BUCKET, PREFIX + "/");
      assertFalse(keys.isEmpty(), s3.recentOutput());
      for (String key : keys) {
        // Staged files were renamed into place and deleted: only lake files remain.
        assertTrue(key.endsWith(LakeFileNaming.SUFFIX) && !key.contains("/.temp-"), key);
      }

      TestPipeline local = TestPipeline.create().enableAbandonedNodeEnforcement(true);
      LakeRecords.allDatasets(local)
          .apply("WriteLake", WriteLake.to(LakeConfig.at(localLake.toString())));
      local.run().waitUntilFinish();

      try (LakeReader fromS3 = LakeReader.s3rver(s3, BUCKET, PREFIX);
          LakeReader fromDisk = LakeReader.local(localLake)) {
        for (Dataset<?> dataset : Dataset.all()) {
          assertThat(
              dataset.name(),
              fromS3.records(dataset),
              containsInAnyOrder(LakeRecords.expected(dataset).toArray()));
          assertEquals(fromDisk.files(dataset), fromS3.files(dataset), dataset.name());
          assertEquals(fromDisk.rows(dataset), fromS3.rows(dataset), dataset.name());
        }
      }
    }
  }
}
