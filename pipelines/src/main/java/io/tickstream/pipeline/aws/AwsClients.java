package io.tickstream.pipeline.aws;

import java.net.URI;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The client builders of the pipeline's own AWS clients (DynamoDB, CloudWatch), set up from the
 * settings {@link AwsSettings} checks.
 *
 * <p>Without static credentials a client uses the AWS SDK's default chain (environment, system
 * properties, profile, container or instance role), so no secret travels with the pipeline; static
 * credentials are for tests and local endpoints.
 */
public final class AwsClients {
  private AwsClients() {}

  /**
   * Sets {@code builder} to {@code region}, the Apache HTTP client, the endpoint override when
   * there is one and the static credentials when both are given; the SDK's default retry policy
   * for the service stays (throttling, 5xx and connection errors are retried with backoff).
   */
  public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder,
      String region,
      @Nullable URI endpoint,
      @Nullable String accessKeyId,
      @Nullable String secret) {
    builder.region(Region.of(region)).httpClientBuilder(ApacheHttpClient.builder());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (accessKeyId != null && secret != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)));
    }
    // Otherwise the SDK builds (and closes with the client) its default credentials chain.
    return builder;
  }
}
