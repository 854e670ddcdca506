package io.tickstream.generator.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes each option's default from the environment: {@code --ticks-per-minute} from {@code
 * TICKSTREAM_TICKS_PER_MINUTE}, and so on. This is how an ECS task definition configures the
 * generator without a command line; arguments still win over the environment.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;

  public EnvironmentDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * The environment variable that sets an option, e.g. {@code TICKSTREAM_SINK} for {@code --sink}.
   */
  public static String variableFor(String longOption) {
    return "TICKSTREAM_"
        + longOption.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec)) {
      return null;
    }
    String value = env.get(variableFor(((OptionSpec) arg).longestName()));
    return value == null || value.isEmpty() ? null : value;
  }
}
