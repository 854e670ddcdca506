package io.tickstream.infra;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.scheduler.Schedule;
import com.pulumi.aws.scheduler.ScheduleArgs;
import com.pulumi.aws.scheduler.inputs.ScheduleFlexibleTimeWindowArgs;
import com.pulumi.aws.scheduler.inputs.ScheduleTargetArgs;
import com.pulumi.aws.scheduler.inputs.ScheduleTargetRetryPolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.tickstream.pipeline.model.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daily batch jobs: EventBridge Scheduler schedules that add EMR steps to the Flink cluster,
 * one running {@code backfill} of the previous day's landing files, one running {@code compact} of
 * every dataset's day, with a role that may add steps to that cluster only.
 */
public final class Schedules extends ComponentResource {
  /** Scheduler's universal target for EMR's AddJobFlowSteps. */
  public static final String ADD_STEPS_TARGET = "arn:aws:scheduler:::aws-sdk:emr:addJobFlowSteps";


  private final Schedule backfill;
  private final Schedule compact;

  public Schedules(
      String name,
      InfraConfig config,
      Output<String> account,
      Lake lake,
      Processing processing,
      ComponentResourceOptions options) {
    super("tickstream:infra:Schedules", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    Role role =
        new Role(
            name + "-role",
            RoleArgs.builder()
                .description("Lets the schedules add steps to the Flink cluster")
                .assumeRolePolicy(PolicyDocument.assumedBy("scheduler.amazonaws.com", account))
                .build(),
            child);
    new RolePolicy(
        name + "-policy",
        RolePolicyArgs.builder()
            .role(role.id())
            .policy(
                PolicyDocument.create()
                    .allow(
                        "AddBatchSteps",
                        List.of("elasticmapreduce:AddJobFlowSteps"),
                        List.of(processing.clusterArn()))
                    .json())
            .build(),
        child);
    Output<String> bucket = lake.lakeBucket();
    backfill =
        schedule(
            name + "-backfill",
            config.prefix() + "-backfill",
            "Backfill the previous UTC day's landing files into the lake",
            config.backfillCron(),
            Output.tuple(processing.clusterId(), bucket)
                .applyValue(t -> steps(t.t1, List.of(backfillStep(t.t2)))),
            role,
            child);
    compact =
        schedule(
            name + "-compact",
            config.prefix() + "-compact",
            "Compact each dataset's day, " + config.compactDaysBack() + " days back",
            config.compactCron(),
            Output.tuple(processing.clusterId(), bucket)
                .applyValue(t -> steps(t.t1, compactSteps(t.t2, config.compactDaysBack()))),
            role,
            child);
    registerOutputs(Map.of("backfillSchedule", backfill.name(), "compactSchedule", compact.name()));
  }

  private static Schedule schedule(
      String name,
      String physicalName,
      String description,
      String expression,
      Output<String> input,
      Role role,
      CustomResourceOptions child) {
    return new Schedule(
        name,
        ScheduleArgs.builder()
            .name(physicalName)
            .description(description)
            .scheduleExpression(expression)
            .scheduleExpressionTimezone("UTC")
            .flexibleTimeWindow(ScheduleFlexibleTimeWindowArgs.builder().mode("OFF").build())
            .target(
                ScheduleTargetArgs.builder()
                    .arn(ADD_STEPS_TARGET)
                    .roleArn(role.arn())
                    .input(input)
                    .retryPolicy(
                        ScheduleTargetRetryPolicyArgs.builder()
                            .maximumRetryAttempts(3)
                            .maximumEventAgeInSeconds(3600)
                            .build())
                    .build())
            .build(),
        child);
  }

  /** One step: the command, run by bash on the primary node through {@code command-runner.jar}. */
  record Step(String name, String script) {}

  /**
   * The backfill of the day before the run, on embedded Flink in batch mode on the primary node.
   * The day is computed when the step runs: Scheduler's input cannot do date arithmetic.
   */
  static Step backfillStep(String bucket) {
    String lake = "s3://" + bucket + "/";
    return new Step(
        "tickstream backfill (previous UTC day)",
        prelude(bucket)
            + "D=$(date -u -d yesterday +%F); P=$(date -u -d yesterday +%Y/%m/%d); "
            + tickstream()
            + " backfill --options-file=/tmp/tickstream/backfill-flink-batch.yaml"
            + " --input=\""
            + lake
            + Lake.LANDING
            + "$P/**\" --lake="
            + lake
            + "lake --from=$D --to=$D");
  }

  /** One compaction per dataset of the day {@code daysBack} days before the run. */
  static List<Step> compactSteps(String bucket, int daysBack) {
    List<Step> steps = new ArrayList<>();
    for (Dataset<?> dataset : Dataset.all()) {
      steps.add(
          new Step(
              "tickstream compact " + dataset.name(),
              prelude(bucket)
                  + "D=$(date -u -d '"
                  + daysBack
                  + " days ago' +%F); "
                  + tickstream()
                  + " compact --options-file=/tmp/tickstream/backfill-flink-batch.yaml --lake=s3://"
                  + bucket
                  + "/lake --dataset="
                  + dataset.name()
                  + " --dt=$D"));
    }
    return steps;
  }

  /** Fetches the job jar and the batch options file the deploy steps put into {@code jobs/}. */
  private static String prelude(String bucket) {
    String jobs = "s3://" + bucket + "/" + Lake.JOBS;
    return "set -eu; mkdir -p /tmp/tickstream; "
        + "aws s3 cp "
        + jobs
        + "tickstream-pipelines-flink-job.jar /tmp/tickstream/job.jar; "
        + "aws s3 cp "
        + jobs
        + "runner-configs/backfill-flink-batch.yaml /tmp/tickstream/; ";
  }

  private static String tickstream() {
    return "java "
        + RunnerConfigs.javaOpens()
        + " -cp '/tmp/tickstream/job.jar:/usr/lib/flink/lib/*' io.tickstream.cli.Tickstream";
  }

  /** AddJobFlowSteps' request: the steps, each {@code bash -c SCRIPT}. */
  static String steps(String clusterId, List<Step> steps) {
    ObjectNode request = Json.MAPPER.createObjectNode().put("JobFlowId", clusterId);
    ArrayNode list = request.putArray("Steps");
    for (Step step : steps) {
      ObjectNode s = list.addObject().put("Name", step.name()).put("ActionOnFailure", "CONTINUE");
      ObjectNode jar = s.putObject("HadoopJarStep").put("Jar", "command-runner.jar");
      jar.putArray("Args").add("bash").add("-c").add(step.script());
    }
    return Json.write(request);
  }

  /** The backfill schedule's name. */
  public Output<String> backfillName() {
    return backfill.name();
  }

  /** The compaction schedule's name. */
  public Output<String> compactName() {
    return compact.name();
  }
}
