package io.tickstream.pipeline.sink.datalake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.LakeRecords;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same {@link WriteLake} on embedded Flink, in streaming and in batch mode, writes the same
 * files as on the DirectRunner: no runner-specific code, and Beam coders only (Flink on Java 17
 * would fail on a Kryo fallback).
 */
class WriteLakeFlinkTest {
  @TempDir Path flinkLake;
  @TempDir Path directLake;

  @ParameterizedTest(name = "streaming={0}")
  @ValueSource(booleans = {true, false})
  void writesTheSameLakeAsTheDirectRunner(boolean streaming) throws Exception {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    options.setStreaming(streaming);
    Pipeline flink = Pipeline.create(options);
    LakeRecords.allDatasets(flink)
        .apply("WriteLake", WriteLake.to(LakeConfig.at(flinkLake.toString()).withShards(2)));
    flink.run().waitUntilFinish();

    Pipeline direct = Pipeline.create();
    LakeRecords.allDatasets(direct)
        .apply("WriteLake", WriteLake.to(LakeConfig.at(directLake.toString()).withShards(2)));
    direct.run().waitUntilFinish();

    try (LakeReader fromFlink = LakeReader.local(flinkLake);
        LakeReader fromDirect = LakeReader.local(directLake)) {
      for (Dataset<?> dataset : Dataset.all()) {
        assertThat(
            dataset.name(),
            fromFlink.records(dataset),
            containsInAnyOrder(LakeRecords.expected(dataset).toArray()));
        assertEquals(fromDirect.files(dataset), fromFlink.files(dataset), dataset.name());
      }
    }
  }
}
