package io.tickstream.infra;

import com.pulumi.aws.kinesis.StreamArgs;
import com.pulumi.aws.kinesis.inputs.StreamStreamModeDetailsArgs;
import com.pulumi.aws.kms.Alias;
import com.pulumi.aws.kms.AliasArgs;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.kms.KeyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.Map;

/** The tick stream: a Kinesis data stream, on demand or provisioned, encrypted with its own key. */
public final class Stream extends ComponentResource {
  private final Key key;
  private final com.pulumi.aws.kinesis.Stream stream;

  public Stream(String name, InfraConfig config, ComponentResourceOptions options) {
    super("tickstream:infra:Stream", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    key =
        new Key(
            name + "-key",
            KeyArgs.builder()
                .description("Encrypts the " + config.prefix() + " tick stream")
                .enableKeyRotation(true)
                .deletionWindowInDays(30)
                .build(),
            child);
    new Alias(
        name + "-key-alias",
        AliasArgs.builder()
            .name("alias/" + config.prefix() + "-stream")
            .targetKeyId(key.keyId())
            .build(),
        child);
    StreamArgs.Builder args =
        StreamArgs.builder()
            .name(config.prefix() + "-ticks")
            .encryptionType("KMS")
            .kmsKeyId(key.arn())
            .retentionPeriod(config.streamRetentionHours())
            .streamModeDetails(
                StreamStreamModeDetailsArgs.builder()
                    .streamMode(config.provisioned() ? "PROVISIONED" : "ON_DEMAND")
                    .build());
    config.provisionedShards().ifPresent(args::shardCount);
    stream = new com.pulumi.aws.kinesis.Stream(name + "-ticks", args.build(), child);
    registerOutputs(Map.of("streamName", stream.name(), "streamArn", stream.arn()));
  }

  /** The stream's name, what {@code --sink kinesis:NAME} and {@code --source} take. */
  public Output<String> streamName() {
    return stream.name();
  }

  /** The stream's ARN. */
  public Output<String> streamArn() {
    return stream.arn();
  }

  /** The ARN of the stream's KMS key: writers and readers need it too. */
  public Output<String> keyArn() {
    return key.arn();
  }
}
