package io.tickstream.infra;

import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One run of the stack under {@link AwsMocks}, and typed reads of what it declared. */
final class Stack {
  final InfraConfig config;
  final AwsMocks mocks = new AwsMocks();
  final TestResult result;

  private Stack(InfraConfig config) {
    this.config = config;
    this.result =
        PulumiTest.withMocks(mocks)
            .withOptions(
                TestOptions.builder()
                    .projectName("tickstream")
                    .stackName("test")
                    .preview(false)
                    .build())
            .runTest(ctx -> App.stack(ctx, config))
            .throwOnError();
  }

  /** The stack with {@code settings} (full keys) over the defaults. */
  static Stack of(Map<String, String> settings) {
    return new Stack(config(settings));
  }

  /** The settings the tests run with unless they say otherwise. */
  static Stack standard() {
    return of(standardSettings());
  }

  static Map<String, String> standardSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("aws:region", AwsMocks.REGION);
    s.put("tickstream:env", "test");
    s.put("tickstream:generator", "{\"ticks-per-minute\": 120, \"symbols\": 20, \"seed\": 7}");
    s.put("tickstream:alarmEmail", "oncall@example.com");
    // The optional parts on, so that the policy tests see them too.
    s.put("tickstream:landingCrawler", "true");
    s.put("tickstream:landingCrawlerCron", "cron(0 4 * * ? *)");
    return s;
  }

  static InfraConfig config(Map<String, String> settings) {
    return InfraConfig.from(key -> Optional.ofNullable(settings.get(key)), "0.1.0-TEST");
  }

  /** Every resource of {@code type} the stack declared. */
  <T extends Resource> List<T> all(Class<T> type) {
    return result.resources().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The one resource of {@code type}. */
  <T extends Resource> T one(Class<T> type) {
    List<T> all = all(type);
    if (all.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + all.size());
    }
    return all.get(0);
  }

  /** The resource of {@code type} whose logical name is {@code name}. */
  <T extends Resource> T named(Class<T> type, String name) {
    return all(type).stream()
        .filter(r -> r.pulumiResourceName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /** An output's value. */
  static <T> T value(Output<T> output) {
    return PulumiTest.extractValue(output);
  }

  /** An optional output's value, or null. */
  static <T> T optional(Output<Optional<T>> output) {
    Optional<T> value = PulumiTest.extractValue(output);
    return value == null ? null : value.orElse(null);
  }

  /** The resource's URN, which names its parents' types. */
  static String urn(Resource r) {
    return value(r.urn());
  }
}
