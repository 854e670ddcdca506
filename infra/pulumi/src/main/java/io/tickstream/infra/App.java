package io.tickstream.infra;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/** The tickstream stack: {@code pulumi up} runs {@link #main}, the tests {@link #stack}. */
public final class App {
  private App() {}

  public static void main(String[] args) {
    Pulumi.run(App::stack);
  }

  /** Reads the stack's config and defines the stack. */
  public static void stack(Context ctx) {
    InfraConfig config =
        InfraConfig.from(
            key -> {
              int colon = key.indexOf(':');
              return ctx.config(key.substring(0, colon)).get(key.substring(colon + 1));
            },
            projectVersion());
    stack(ctx, config);
  }

  /** Every component, wired to the others' outputs, and the stack's outputs. */
  public static void stack(Context ctx, InfraConfig config) {
    ComponentResourceOptions none = ComponentResourceOptions.builder().build();
    // The account the credentials deploy into, looked up once: the roles' trust policies let AWS
    // services assume them only on behalf of this account.
    Output<String> account = PolicyDocument.callerAccount();
    Network network = new Network("network", config, none);
    Stream stream = new Stream("stream", config, none);
    Lake lake = new Lake("lake", config, none);
    Producer producer = new Producer("producer", config, account, network, stream, none);
    Processing processing =
        new Processing("processing", config, account, network, stream, lake, none);
    Analytics analytics = new Analytics("analytics", config, lake, none);
    new Schedules("schedules", config, account, lake, processing, none);
    Alarms alarms = new Alarms("alarms", config, stream, producer, none);

    ctx.export("streamName", stream.streamName());
    ctx.export("streamArn", stream.streamArn());
    ctx.export("lakeBucket", lake.lakeBucket());
    ctx.export("resultsBucket", lake.resultsBucket());
    ctx.export("glueDatabase", analytics.databaseName());
    ctx.export("athenaWorkgroup", analytics.workgroupName());
    ctx.export("ecrRepositoryUrl", producer.repositoryUrl());
    ctx.export("emrClusterId", processing.clusterId());
    ctx.export("positionsTable", processing.positionsTable());
    ctx.export("alarmTopicArn", alarms.topicArn());
    ctx.export("deadLetterMetricsNamespace", Output.of(Alarms.deadLetterNamespace(config)));
  }

  /** The project's version, the generator image's default tag (jib tags it so). */
  static String projectVersion() {
    try (InputStream in = App.class.getResourceAsStream("/io/tickstream/infra/build.properties")) {
      Properties p = new Properties();
      p.load(in);
      return Optional.ofNullable(p.getProperty("version")).orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
