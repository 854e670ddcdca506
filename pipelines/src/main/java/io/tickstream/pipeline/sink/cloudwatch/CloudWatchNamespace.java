package io.tickstream.pipeline.sink.cloudwatch;

import java.util.regex.Pattern;

/**
 * The rule CloudWatch has for a metric namespace: 1 to 255 of {@code 0-9 A-Z a-z . - _ / # :} and
 * space, not only spaces, and not starting with {@code AWS/} (AWS's own). Free of the AWS SDK, so
 * that the infrastructure program checks the namespace it gives the job by the same rule.
 */
public final class CloudWatchNamespace {
  private static final Pattern ALLOWED = Pattern.compile("[0-9A-Za-z._/#: -]{1,255}");

  private CloudWatchNamespace() {}

  /** Returns {@code namespace}, or throws naming it and the rule. */
  public static String check(String namespace) {
    if (namespace == null
        || !ALLOWED.matcher(namespace).matches()
        || namespace.isBlank()
        || namespace.startsWith("AWS/")) {
      throw new IllegalArgumentException(
          "a CloudWatch namespace is 1 to 255 of 0-9 A-Z a-z . - _ / # : and space, not blank"
              + " and not starting with AWS/, e.g. tickstream/prod; got '"
              + namespace
              + "'");
    }
    return namespace;
  }
}
