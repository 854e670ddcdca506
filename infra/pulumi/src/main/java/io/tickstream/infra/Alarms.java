package io.tickstream.infra;

import io.tickstream.pipeline.sink.cloudwatch.PublishDeadLetterCounts;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicArgs;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.aws.sns.TopicSubscriptionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.Map;

/**
 * The alarms and their SNS topic: the stream's iterator age (the job falls behind) and write
 * throttling (the producer outruns the stream), the producer's running tasks, and dead-letter
 * growth: the metric the streaming job sends with {@code --dead-letter-metrics-namespace} ({@link
 * PublishDeadLetterCounts}), in {@link #deadLetterNamespace}.
 */
public final class Alarms extends ComponentResource {

  private final Topic topic;

  public Alarms(
      String name,
      InfraConfig config,
      Stream stream,
      Producer producer,
      ComponentResourceOptions options) {
    super("tickstream:infra:Alarms", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    topic =
        new Topic(
            name + "-topic",
            TopicArgs.builder()
                .name(config.prefix() + "-alarms")
                .kmsMasterKeyId("alias/aws/sns")
                .build(),
            child);
    config
        .alarmEmail()
        .ifPresent(
            email ->
                new TopicSubscription(
                    name + "-email",
                    TopicSubscriptionArgs.builder()
                        .topic(topic.arn())
                        .protocol("email")
                        .endpoint(email)
                        .build(),
                    child));
    Output<Map<String, String>> streamDimension =
        stream.streamName().applyValue(s -> Map.of("StreamName", s));
    alarm(
        name + "-iterator-age",
        MetricAlarmArgs.builder()
            .name(config.prefix() + "-stream-iterator-age")
            .alarmDescription("The Flink job reads the tick stream more than the threshold behind")
            .namespace("AWS/Kinesis")
            .metricName("GetRecords.IteratorAgeMilliseconds")
            .dimensions(streamDimension)
            .statistic("Maximum")
            .period(60)
            .evaluationPeriods(5)
            .comparisonOperator("GreaterThanThreshold")
            .threshold((double) config.iteratorAgeAlarmMs())
            // No reads at all is as bad as slow reads.
            .treatMissingData("breaching"),
        child);
    alarm(
        name + "-write-throttling",
        MetricAlarmArgs.builder()
            .name(config.prefix() + "-stream-write-throttling")
            .alarmDescription("The producer's writes to the tick stream are throttled")
            .namespace("AWS/Kinesis")
            .metricName("WriteProvisionedThroughputExceeded")
            .dimensions(streamDimension)
            .statistic("Sum")
            .period(300)
            .evaluationPeriods(3)
            .comparisonOperator("GreaterThanThreshold")
            .threshold(0.0)
            .treatMissingData("notBreaching"),
        child);
    alarm(
        name + "-producer-tasks",
        MetricAlarmArgs.builder()
            .name(config.prefix() + "-producer-running-tasks")
            .alarmDescription("Fewer generator tasks run than the service wants")
            .namespace("ECS/ContainerInsights")
            .metricName("RunningTaskCount")
            .dimensions(
                Output.tuple(producer.clusterName(), producer.serviceName())
                    .applyValue(t -> Map.of("ClusterName", t.t1, "ServiceName", t.t2)))
            .statistic("Minimum")
            .period(60)
            .evaluationPeriods(3)
            .comparisonOperator("LessThanThreshold")
            .threshold((double) config.producerCount())
            .treatMissingData(config.producerCount() > 0 ? "breaching" : "notBreaching"),
        child);
    alarm(
        name + "-dead-letters",
        MetricAlarmArgs.builder()
            .name(config.prefix() + "-dead-letter-growth")
            .alarmDescription(
                "Records are being dead-lettered (the streaming job's "
                    + PublishDeadLetterCounts.METRIC_NAME
                    + ", in total)")
            .namespace(deadLetterNamespace(config))
            .metricName(PublishDeadLetterCounts.METRIC_NAME)
            .statistic("Sum")
            .period(300)
            .evaluationPeriods(1)
            .comparisonOperator("GreaterThanThreshold")
            .threshold(0.0)
            .treatMissingData("notBreaching"),
        child);
    registerOutputs(Map.of("topicArn", topic.arn()));
  }

  private void alarm(String name, MetricAlarmArgs.Builder args, CustomResourceOptions child) {
    new MetricAlarm(
        name,
        args.alarmActions(topic.arn().applyValue(java.util.List::of))
            .okActions(topic.arn().applyValue(java.util.List::of))
            .build(),
        child);
  }

  /**
   * The CloudWatch namespace the streaming job sends its dead-letter counts to, {@code
   * tickstream/<env>}: its {@code --dead-letter-metrics-namespace}, and the one namespace the
   * cluster's nodes may put metrics in.
   */
  public static String deadLetterNamespace(InfraConfig config) {
    return "tickstream/" + config.env();
  }

  /** The alarm topic's ARN. */
  public Output<String> topicArn() {
    return topic.arn();
  }
}
