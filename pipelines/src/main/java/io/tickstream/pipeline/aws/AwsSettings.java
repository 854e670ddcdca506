package io.tickstream.pipeline.aws;

import java.net.URI;
import javax.annotation.Nullable;

/**
 * The checks of the settings the pipeline's own AWS clients take (an endpoint override, static
 * credentials) and their description for messages. Free of the AWS SDK, so that code without it
 * on its classpath (the infrastructure program) can check a config.
 */
public final class AwsSettings {
  private AwsSettings() {}

  /**
   * Rejects an {@code endpoint} (may be null) that is not an http or https URL with a host; {@code
   * service} and {@code example} name the service and a good value in the message.
   */
  public static void checkEndpoint(String service, @Nullable URI endpoint, String example) {
    if (endpoint != null
        && (!endpoint.isAbsolute()
            || endpoint.getHost() == null
            || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
      throw new IllegalArgumentException(
          service
              + " endpoint must be an http or https URL with a host, e.g. "
              + example
              + ", got "
              + endpoint);
    }
  }

  /** Rejects static credentials that are not both set (and not blank) or both null. */
  public static void checkCredentials(@Nullable String accessKeyId, @Nullable String secret) {
    if ((accessKeyId == null) != (secret == null)
        || (accessKeyId != null && (accessKeyId.isBlank() || secret.isBlank()))) {
      throw new IllegalArgumentException(
          "static credentials need both an access key id and a secret access key, or neither"
              + " for the default credentials chain; got "
              + (accessKeyId == null || accessKeyId.isBlank() ? "no" : "an")
              + " access key id and "
              + (secret == null || secret.isBlank() ? "no" : "a")
              + " secret");
    }
  }

  /** The credentials for messages, never the secret: {@code default chain} or {@code static ID}. */
  public static String describeCredentials(@Nullable String accessKeyId) {
    return accessKeyId == null ? "default chain" : "static " + accessKeyId + "/****";
  }
}
