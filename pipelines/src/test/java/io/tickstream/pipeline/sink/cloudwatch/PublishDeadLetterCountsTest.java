package io.tickstream.pipeline.sink.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.testing.CloudWatchRecorder;
import io.tickstream.testing.CloudWatchRecorder.Datum;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The dead-letter counts: panes a minute of processing time apart, each code's count once, the rest
 * when the input ends; and the PutMetricData requests that carry them, as the AWS SDK sends them.
 */
public class PublishDeadLetterCountsTest {
  private static final Instant SENT_AT = Instant.parse("2026-12-04T10:15:30Z");

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private CloudWatchRecorder cloudWatch;

  @Before
  public void startEndpoint() throws Exception {
    cloudWatch = CloudWatchRecorder.start();
  }

  @After
  public void stopEndpoint() {
    cloudWatch.close();
  }

  @Test
  public void countsGoOutAMinuteAfterAPanesFirstDeadLetterAndTheRestAtTheEnd() throws Exception {
    TestStream<DeadLetter> stream =
        TestStream.create(p.getSchemaRegistry().getSchemaCoder(DeadLetter.class))
            .advanceWatermarkTo(new Instant(0))
            .addElements(dead("MALFORMED_JSON"), dead("MALFORMED_JSON"), dead("BAD_PRICE"))
            .advanceProcessingTime(Duration.standardSeconds(30))
            .addElements(dead("MALFORMED_JSON"))
            .advanceProcessingTime(Duration.standardSeconds(31))
            // A new pane: its own minute from here.
            .addElements(dead("MALFORMED_JSON"), dead("NOT_UTF8"))
            .advanceProcessingTime(Duration.standardSeconds(61))
            .addElements(dead("BAD_PRICE"))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> counts =
        p.apply(stream).apply(PublishDeadLetterCounts.countEvery(PublishDeadLetterCounts.PERIOD));
    // Discarding panes: a code counted in one pane is not counted again in the next.
    PAssert.that(counts)
        .containsInAnyOrder(
            KV.of("MALFORMED_JSON", 3L),
            KV.of("BAD_PRICE", 1L),
            KV.of("MALFORMED_JSON", 1L),
            KV.of("NOT_UTF8", 1L),
            KV.of("BAD_PRICE", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  public void eachCountIsSentInTotalAndByErrorCode() {
    p.apply(Create.of(KV.of("MALFORMED_JSON", 3L), KV.of("NOT_UTF8", 2L)))
        .apply(
            ParDo.of(
                new PublishDeadLetterCounts.PutCountsFn(config(), () -> SENT_AT)));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(List.of(), cloudWatch.rejected());
    List<Datum> sent = cloudWatch.data();
    assertEquals(4, sent.size());
    long total = 0;
    List<String> codes = new ArrayList<>();
    for (Datum d : sent) {
      assertEquals("tickstream/test", d.namespace());
      assertEquals(PublishDeadLetterCounts.METRIC_NAME, d.metricName());
      assertEquals("Count", d.unit());
      assertEquals(60, d.storageResolution());
      assertEquals(java.time.Instant.parse("2026-12-04T10:15:30Z"), d.timestamp());
      if (d.dimensions().isEmpty()) {
        total += (long) d.value();
      } else {
        String code = d.dimensions().get(PublishDeadLetterCounts.ERROR_CODE_DIMENSION);
        codes.add(code + "=" + d.value());
        assertEquals(1, d.dimensions().size());
      }
    }
    assertEquals(5, total);
    codes.sort(null);
    assertEquals(List.of("MALFORMED_JSON=3.0", "NOT_UTF8=2.0"), codes);
    assertEquals(5, PipelineMetrics.sum(result, PipelineMetrics.DEAD_LETTER_METRICS_SENT));
    assertEquals(0, PipelineMetrics.sum(result, PipelineMetrics.DEAD_LETTER_METRICS_FAILED));
  }

  @Test
  public void aRefusedRequestIsCountedAndDoesNotStopTheJob() {
    cloudWatch.failWith(400, "InvalidParameterValue");
    p.apply(Create.of(KV.of("MALFORMED_JSON", 3L)))
        .apply(
            ParDo.of(
                new PublishDeadLetterCounts.PutCountsFn(config(), () -> SENT_AT)));
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    assertEquals(List.of(), cloudWatch.data());
    assertEquals(3, PipelineMetrics.sum(result, PipelineMetrics.DEAD_LETTER_METRICS_FAILED));
    assertEquals(0, PipelineMetrics.sum(result, PipelineMetrics.DEAD_LETTER_METRICS_SENT));
  }

  @Test
  public void aNamespaceCloudWatchWouldRefuseIsRejectedUpFront() {
    for (String bad : List.of("", "   ", "AWS/Kinesis", "tick{stream}", "x".repeat(256))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> DeadLetterMetricsConfig.of(bad, "us-east-1"));
      assertTrue(e.getMessage(), e.getMessage().contains("'" + bad + "'"));
    }
    DeadLetterMetricsConfig.of("tickstream/prod-1 #a:b_c.d", "us-east-1");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DeadLetterMetricsConfig.of("tickstream", "us-east-1")
                    .withEndpoint(URI.create("x")));
    assertEquals(
        "CloudWatch endpoint must be an http or https URL with a host, e.g."
            + " http://127.0.0.1:4566, got x",
        e.getMessage());
  }

  @Test
  public void itsDescriptionNeverShowsTheSecret() {
    String shown = config().toString();
    assertTrue(shown, shown.contains("static test/****"));
    assertTrue(shown, !shown.contains("s3cr3t"));
  }

  private DeadLetterMetricsConfig config() {
    return DeadLetterMetricsConfig.of("tickstream/test", "us-east-1")
        .withEndpoint(cloudWatch.endpoint())
        .withStaticCredentials("test", "s3cr3t");
  }

  private static DeadLetter dead(String code) {
    return DeadLetter.create(
        new Instant(0),
        new Instant(0),
        "kafka:127.0.0.1:9092/ticks",
        "partition=0 offset=1",
        "{",
        "utf8",
        code,
        "bad",
        "ParseTicks");
  }
}
