package io.tickstream.pipeline.sink.cloudwatch;

import com.google.auto.value.AutoValue;
import io.tickstream.pipeline.aws.AwsClients;
import io.tickstream.pipeline.aws.AwsSettings;
import java.io.Serializable;
import java.net.URI;
import javax.annotation.Nullable;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Where {@link PublishDeadLetterCounts} sends the dead-letter counts, as one immutable value the
 * workers carry: a CloudWatch namespace, its region, and optionally an endpoint (a VPC endpoint, a
 * local server in tests) and static credentials, as {@link AwsSettings} checks them.
 *
 * <p>{@link #namespace()} is one CloudWatch accepts ({@link CloudWatchNamespace}). {@link
 * #toString()} never shows the secret.
 */
@AutoValue
public abstract class DeadLetterMetricsConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String namespace();

  public abstract String region();

  public abstract @Nullable URI endpoint();

  public abstract @Nullable String accessKeyId();

  public abstract @Nullable String secretAccessKey();

  abstract Builder toBuilder();

  /** Builds a config; {@link #build} checks the fields together. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setNamespace(String namespace);

    abstract Builder setRegion(String region);

    abstract Builder setEndpoint(@Nullable URI endpoint);

    abstract Builder setAccessKeyId(@Nullable String accessKeyId);

    abstract Builder setSecretAccessKey(@Nullable String secretAccessKey);

    abstract DeadLetterMetricsConfig autoBuild();

    DeadLetterMetricsConfig build() {
      DeadLetterMetricsConfig c = autoBuild();
      String ns = CloudWatchNamespace.check(c.namespace());
      if (c.region().isBlank()) {
        throw new IllegalArgumentException(
            "the dead-letter metrics in " + ns + " need an AWS region, e.g. us-east-1");
      }
      AwsSettings.checkEndpoint("CloudWatch", c.endpoint(), "http://127.0.0.1:4566");
      AwsSettings.checkCredentials(c.accessKeyId(), c.secretAccessKey());
      return c;
    }
  }

  /** The counts go to {@code namespace} in {@code region}, with the default credentials chain. */
  public static DeadLetterMetricsConfig of(String namespace, String region) {
    return new AutoValue_DeadLetterMetricsConfig.Builder()
        .setNamespace(namespace)
        .setRegion(region)
        .build();
  }

  /** The same, sent to {@code endpoint} instead of the region's CloudWatch. */
  public DeadLetterMetricsConfig withEndpoint(URI endpoint) {
    return toBuilder().setEndpoint(endpoint).build();
  }

  /** The same, sent with these static credentials instead of the default chain. */
  public DeadLetterMetricsConfig withStaticCredentials(String accessKeyId, String secretAccessKey) {
    return toBuilder().setAccessKeyId(accessKeyId).setSecretAccessKey(secretAccessKey).build();
  }

  /** A new client for the region and endpoint; the caller closes it. */
  public CloudWatchClient newClient() {
    return AwsClients.configure(
            CloudWatchClient.builder(), region(), endpoint(), accessKeyId(), secretAccessKey())
        .build();
  }

  /** Names the namespace, region and endpoint; never the secret. */
  @Override
  public final String toString() {
    return "DeadLetterMetricsConfig{namespace="
        + namespace()
        + ", region="
        + region()
        + (endpoint() == null ? "" : ", endpoint=" + endpoint())
        + ", credentials="
        + AwsSettings.describeCredentials(accessKeyId())
        + "}";
  }
}
