package io.tickstream.pipeline.sink.dynamodb;

import java.io.Serializable;
import java.net.URI;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Where {@link WritePositionsTable} keeps the open positions, as one immutable value the workers
 * carry: a DynamoDB table, its region, and optionally an endpoint (DynamoDB Local, a VPC endpoint)
 * and static credentials.
 *
 * <p>Without static credentials each worker uses the AWS SDK's default chain (environment, system
 * properties, profile, container or instance role), so no secret travels with the pipeline. Static
 * credentials are for tests and local endpoints; {@link #toString()} never shows the secret.
 *
 * @param tableName the table, 3 to 255 characters of {@code A-Z a-z 0-9 _ - .}
 * @param endpoint where requests go instead of the region's DynamoDB endpoint; null for AWS
 * @param region the AWS region, e.g. {@code us-east-1}
 * @param accessKeyId static credentials with {@code secretAccessKey}; null for the default chain
 * @param secretAccessKey goes with {@code accessKeyId}; null for the default chain
 */
public record PositionsTableConfig(
    String tableName,
    @Nullable URI endpoint,
    String region,
    @Nullable String accessKeyId,
    @Nullable String secretAccessKey)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

  /** Checks every field. */
  public PositionsTableConfig {
    if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
      throw new IllegalArgumentException(
          "DynamoDB table name must be 3 to 255 characters of A-Z a-z 0-9 _ - ., got "
              + (tableName == null ? "none" : "'" + tableName + "'"));
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException(
          "the positions table " + tableName + " needs an AWS region, e.g. us-east-1");
    }
    if (endpoint != null
        && (!endpoint.isAbsolute()
            || endpoint.getHost() == null
            || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
      throw new IllegalArgumentException(
          "DynamoDB endpoint must be an http or https URL with a host, e.g."
              + " http://127.0.0.1:8000, got "
              + endpoint);
    }
    if ((accessKeyId == null) != (secretAccessKey == null)
        || (accessKeyId != null && (accessKeyId.isBlank() || secretAccessKey.isBlank()))) {
      throw new IllegalArgumentException(
          "static credentials need both an access key id and a secret access key, or neither"
              + " for the default credentials chain; got "
              + (accessKeyId == null || accessKeyId.isBlank() ? "no" : "an")
              + " access key id and "
              + (secretAccessKey == null || secretAccessKey.isBlank() ? "no" : "a")
              + " secret");
    }
  }

  /** The table {@code tableName} in {@code region}, reached with the default credentials chain. */
  public static PositionsTableConfig of(String tableName, String region) {
    return new PositionsTableConfig(tableName, null, region, null, null);
  }

  /** The same table reached through {@code endpoint}, e.g. DynamoDB Local. */
  public PositionsTableConfig withEndpoint(URI endpoint) {
    return new PositionsTableConfig(tableName, endpoint, region, accessKeyId, secretAccessKey);
  }

  /** The same table reached with these static credentials instead of the default chain. */
  public PositionsTableConfig withStaticCredentials(String accessKeyId, String secretAccessKey) {
    return new PositionsTableConfig(tableName, endpoint, region, accessKeyId, secretAccessKey);
  }

  /**
   * A new synchronous client for the table's region and endpoint, on the Apache HTTP client, with
   * the SDK's default retry policy for DynamoDB (throttling, 5xx and connection errors are retried
   * with backoff). The caller closes it.
   */
  public DynamoDbClient newClient() {
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder()
            .region(Region.of(region))
            .httpClientBuilder(ApacheHttpClient.builder());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (accessKeyId != null && secretAccessKey != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }
    // Otherwise the SDK builds (and closes with the client) its default credentials chain.
    return builder.build();
  }

  /** Where the table is, for messages: e.g. {@code positions (us-east-1)}. */
  public String describe() {
    return tableName + " (" + region + (endpoint == null ? "" : " at " + endpoint) + ")";
  }

  @Override
  public String toString() {
    return "PositionsTableConfig{table="
        + tableName
        + ", region="
        + region
        + (endpoint == null ? "" : ", endpoint=" + endpoint)
        + (accessKeyId == null
            ? ", credentials=default chain"
            : ", credentials=static " + accessKeyId + "/****")
        + "}";
  }
}
