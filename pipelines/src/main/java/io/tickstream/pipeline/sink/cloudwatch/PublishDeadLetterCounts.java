package io.tickstream.pipeline.sink.cloudwatch;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.time.WallClock;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Sends how many records were dead-lettered to CloudWatch, by error code, every minute of
 * processing time while they come: what an alarm on dead-letter growth watches.
 *
 * <pre>{@code
 * out.get(ProcessTicks.DEAD_LETTERS)
 *     .apply("PublishDeadLetterCounts",
 *         PublishDeadLetterCounts.to(DeadLetterMetricsConfig.of("tickstream/prod", "us-east-1")));
 * }</pre>
 *
 * <p>Each count is the metric {@value #METRIC_NAME} ({@code Count}, standard resolution) twice:
 * once with no dimension, the total an alarm sums, and once with the dimension {@value
 * #ERROR_CODE_DIMENSION}. A code's count goes out one {@link #PERIOD} after the first dead letter
 * of its pane (a processing-time trigger in the global window, discarding fired panes), so a steady
 * stream of bad records is reported once a minute and none is reported when there are none; when
 * the input ends (a bounded source, a drained job) the rest goes out. A count carries the wall time
 * it was sent at, which is what CloudWatch and an alarm expect of a metric about now, whatever the
 * records' event time.
 *
 * <p>Delivery is at least once for what CloudWatch takes: a bundle retried after a failure sends
 * its counts again. A request CloudWatch refuses after the AWS SDK's retries is logged with its
 * reason and counted ({@value PipelineMetrics#DEAD_LETTER_METRICS_FAILED}), not retried for ever:
 * the metric is for alarms, and the dead letters themselves are in the lake. Sent counts add up in
 * {@value PipelineMetrics#DEAD_LETTER_METRICS_SENT}.
 */
public final class PublishDeadLetterCounts extends PTransform<PCollection<DeadLetter>, PDone> {
  private static final long serialVersionUID = 1L;

  /** The CloudWatch metric. */
  public static final String METRIC_NAME = "DeadLetters";

  /** The dimension of the per-code counts. */
  public static final String ERROR_CODE_DIMENSION = "ErrorCode";

  /** How long after a pane's first dead letter its counts go out. */
  public static final Duration PERIOD = Duration.standardMinutes(1);

  /** CloudWatch takes at most 1,000 values in one PutMetricData request. */
  static final int MAX_DATA_PER_REQUEST = 1000;

  private final DeadLetterMetricsConfig config;

  private PublishDeadLetterCounts(DeadLetterMetricsConfig config) {
    this.config = config;
  }

  /** Sends the counts as {@code config} says, stamped with the system clock. */
  public static PublishDeadLetterCounts to(DeadLetterMetricsConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("PublishDeadLetterCounts needs a DeadLetterMetricsConfig");
    }
    return new PublishDeadLetterCounts(config);
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    deadLetters
        .apply("CountEveryPeriod", countEvery(PERIOD))
        .apply("PutMetricData", ParDo.of(new PutCountsFn(config, WallClock.SYSTEM)));
    return PDone.in(deadLetters.getPipeline());
  }

  /**
   * Counts dead letters by error code in the global window, firing {@code period} of processing
   * time after each pane's first element and once more, for the rest, when the input ends.
   */
  static PTransform<PCollection<DeadLetter>, PCollection<KV<String, Long>>> countEvery(
      Duration period) {
    return new PTransform<>() {
      @Override
      public PCollection<KV<String, Long>> expand(PCollection<DeadLetter> input) {
        return input
            .apply(
                "ErrorCodes",
                MapElements.into(TypeDescriptors.strings()).via(DeadLetter::getErrorCode))
            .apply(
                "EveryPeriod",
                Window.<String>into(new GlobalWindows())
                    .triggering(
                        Repeatedly.forever(
                            AfterProcessingTime.pastFirstElementInPane().plusDelayOf(period)))
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes())
            .apply("Count", Count.perElement())
            // A key's timer may fire on a pane its last firing emptied: that count is 0.
            .apply("NotZero", Filter.by(count -> count.getValue() > 0));
      }
    };
  }

  /** Sends a bundle's counts in as few PutMetricData requests as CloudWatch allows. */
  static final class PutCountsFn extends DoFn<KV<String, Long>, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PutCountsFn.class);

    private final DeadLetterMetricsConfig config;
    private final WallClock clock;
    private final Counter sent = PipelineMetrics.counter(PipelineMetrics.DEAD_LETTER_METRICS_SENT);
    private final Counter failed =
        PipelineMetrics.counter(PipelineMetrics.DEAD_LETTER_METRICS_FAILED);

    private transient CloudWatchClient client;
    private transient List<MetricDatum> pending;
    private transient long pendingCount;

    PutCountsFn(DeadLetterMetricsConfig config, WallClock clock) {
      this.config = config;
      this.clock = clock;
    }

    @Setup
    public void setup() {
      client = config.newClient();
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
      pendingCount = 0;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> count) {
      java.time.Instant now = java.time.Instant.ofEpochMilli(clock.now().getMillis());
      double value = count.getValue();
      pending.add(datum(value, now).build());
      pending.add(
          datum(value, now)
              .dimensions(
                  Dimension.builder().name(ERROR_CODE_DIMENSION).value(count.getKey()).build())
              .build());
      pendingCount += count.getValue();
      if (pending.size() + 2 > MAX_DATA_PER_REQUEST) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() {
      flush();
    }

    private static MetricDatum.Builder datum(double value, java.time.Instant at) {
      return MetricDatum.builder()
          .metricName(METRIC_NAME)
          .unit(StandardUnit.COUNT)
          .storageResolution(60)
          .timestamp(at)
          .value(value);
    }

    private void flush() {
      if (pending.isEmpty()) {
        return;
      }
      try {
        client.putMetricData(
            PutMetricDataRequest.builder()
                .namespace(config.namespace())
                .metricData(pending)
                .build());
        sent.inc(pendingCount);
      } catch (SdkException e) {
        failed.inc(pendingCount);
        LOG.warn(
            "CloudWatch did not take {} dead-letter counts ({} dead letters) for {}: {}",
            pending.size() / 2,
            pendingCount,
            config,
            e.toString());
      }
      pending = new ArrayList<>();
      pendingCount = 0;
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }
  }
}
