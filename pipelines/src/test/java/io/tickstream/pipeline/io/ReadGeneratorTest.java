package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.model.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs {@link ReadGenerator} with a --duration to the end on the DirectRunner and on Flink. */
class ReadGeneratorTest {
  /** 5 symbols, 3 simulated minutes at 60 ticks a minute (900 ticks), faults on, 4 splits. */
  private static final GeneratorSourceConfig CONFIG =
      GeneratorSourceConfig.of(
              Simulations.fast(11, 5)
                  .setDuration(Duration.ofMinutes(3))
                  .setFaults(
                      new FaultConfig(
                          0.05, 0.03, Duration.ofSeconds(2), 0.02, Duration.ofMinutes(1)))
                  .build())
          .withMaxOutOfOrderness(Duration.ofSeconds(2));

  private static List<RawRecord> expected;
  private static List<TimestampedValue<RawRecord>> expectedAtTheirTimes;

  @BeforeAll
  static void readSplitsDirectly() throws Exception {
    PipelineOptions options = PipelineOptionsFactory.create();
    expected = new ArrayList<>();
    expectedAtTheirTimes = new ArrayList<>();
    for (GeneratorSource split : GeneratorSource.of(CONFIG).split(1, options)) {
      UnboundedReader<RawRecord> reader = split.createReader(options, null);
      for (boolean more = reader.start(); more; more = reader.advance()) {
        expected.add(reader.getCurrent());
        expectedAtTheirTimes.add(
            TimestampedValue.of(reader.getCurrent(), reader.getCurrentTimestamp()));
      }
    }
    // Every tick once, plus some resends.
    assertTrue(expected.size() > 900 && expected.size() < 960, "records: " + expected.size());
  }

  @Test
  void aBoundedGeneratorEndsTheJobOnTheDirectRunner() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    assertRecords(p);
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    assertEquals(3, passedAssertions(result));
  }

  @Test
  void aBoundedGeneratorEndsTheJobOnFlinkWithTheSameRecords() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(2);
    options.setAutoWatermarkInterval(50L);
    TestPipeline p = TestPipeline.fromOptions(options).enableAbandonedNodeEnforcement(true);
    assertRecords(p);
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    assertEquals(3, passedAssertions(result));
  }

  private static void assertRecords(TestPipeline p) {
    PCollection<RawRecord> records = p.apply("ReadGenerator", ReadGenerator.from(CONFIG));
    int count = expected.size();
    PAssert.that("RecordCount", records)
        .satisfies(
            rs -> {
              long n = 0;
              for (RawRecord ignored : rs) {
                n++;
              }
              assertEquals(count, n);
              return null;
            });
    PAssert.that("RecordsOfTheSplits", records).containsInAnyOrder(expected);
    PAssert.that("EachAtItsEventTime", records.apply(Reify.timestamps()))
        .containsInAnyOrder(expectedAtTheirTimes);
  }

  /** PAssert's success counter: proves the assertions ran, which a runner may not check itself. */
  private static long passedAssertions(PipelineResult result) {
    long n = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PAssert.class, PAssert.SUCCESS_COUNTER))
                    .build())
            .getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }
}
