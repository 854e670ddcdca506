package io.tickstream.pipeline.sink.dynamodb;

import com.google.auto.value.AutoValue;
import io.tickstream.pipeline.aws.AwsClients;
import io.tickstream.pipeline.aws.AwsSettings;
import java.io.Serializable;
import java.net.URI;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Where {@link WritePositionsTable} keeps the open positions, as one immutable value the workers
 * carry: a DynamoDB table, its region, and optionally an endpoint (DynamoDB Local, a VPC endpoint)
 * and static credentials.
 *
 * <p>Credentials and endpoint as {@link AwsSettings} checks them; {@link #toString()} never shows
 * the secret.
 *
 * <p>{@link #tableName()} is 3 to 255 characters of {@code A-Z a-z 0-9 _ - .}; {@link #endpoint()}
 * is where requests go instead of the region's DynamoDB endpoint (null for AWS); {@link
 * #accessKeyId()} and {@link #secretAccessKey()} are both set or both null.
 */
@AutoValue
public abstract class PositionsTableConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

  public abstract String tableName();

  public abstract @Nullable URI endpoint();

  public abstract String region();

  public abstract @Nullable String accessKeyId();

  public abstract @Nullable String secretAccessKey();

  abstract Builder toBuilder();

  /** Builds a config; {@link #build} checks the fields together. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTableName(String tableName);

    abstract Builder setEndpoint(@Nullable URI endpoint);

    abstract Builder setRegion(String region);

    abstract Builder setAccessKeyId(@Nullable String accessKeyId);

    abstract Builder setSecretAccessKey(@Nullable String secretAccessKey);

    abstract PositionsTableConfig autoBuild();

    PositionsTableConfig build() {
      PositionsTableConfig c = autoBuild();
      if (!TABLE_NAME.matcher(c.tableName()).matches()) {
        throw new IllegalArgumentException(
            "DynamoDB table name must be 3 to 255 characters of A-Z a-z 0-9 _ - ., got '"
                + c.tableName()
                + "'");
      }
      if (c.region().isBlank()) {
        throw new IllegalArgumentException(
            "the positions table " + c.tableName() + " needs an AWS region, e.g. us-east-1");
      }
      AwsSettings.checkEndpoint("DynamoDB", c.endpoint(), "http://127.0.0.1:8000");
      AwsSettings.checkCredentials(c.accessKeyId(), c.secretAccessKey());
      return c;
    }
  }

  /** The table {@code tableName} in {@code region}, reached with the default credentials chain. */
  public static PositionsTableConfig of(String tableName, String region) {
    return new AutoValue_PositionsTableConfig.Builder()
        .setTableName(tableName)
        .setRegion(region)
        .build();
  }

  /** The same table reached through {@code endpoint}, e.g. DynamoDB Local. */
  public PositionsTableConfig withEndpoint(URI endpoint) {
    return toBuilder().setEndpoint(endpoint).build();
  }

  /** The same table reached with these static credentials instead of the default chain. */
  public PositionsTableConfig withStaticCredentials(String accessKeyId, String secretAccessKey) {
    return toBuilder().setAccessKeyId(accessKeyId).setSecretAccessKey(secretAccessKey).build();
  }

  /**
   * A new synchronous client for the table's region and endpoint, on the Apache HTTP client, with
   * the SDK's default retry policy for DynamoDB (throttling, 5xx and connection errors are retried
   * with backoff). The caller closes it.
   */
  public DynamoDbClient newClient() {
    return clientBuilder().build();
  }

  /** The builder {@link #newClient} builds, for a caller that adds its own overrides. */
  public DynamoDbClientBuilder clientBuilder() {
    return AwsClients.configure(
        DynamoDbClient.builder(), region(), endpoint(), accessKeyId(), secretAccessKey());
  }

  /** Where the table is, for messages: e.g. {@code positions (us-east-1)}. */
  public String describe() {
    return tableName() + " (" + region() + (endpoint() == null ? "" : " at " + endpoint()) + ")";
  }

  /** Names the table, region and endpoint; never the secret. */
  @Override
  public final String toString() {
    return "PositionsTableConfig{table="
        + tableName()
        + ", region="
        + region()
        + (endpoint() == null ? "" : ", endpoint=" + endpoint())
        + ", credentials="
        + AwsSettings.describeCredentials(accessKeyId())
        + "}";
  }
}
