package io.tickstream.generator.cli;

import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * One-line errors for a command's flags: {@code Invalid value for option '--speed': 'fast' must be
 * a positive number or 'max'}. Quotes the value as the user typed it ({@code --bad-rate 2}, not
 * {@code 2.0}), or as converted when it came from elsewhere (the environment, a file).
 */
public final class Flags {
  private Flags() {}

  /** A user's mistake in {@code flag}, thrown before anything starts. */
  public static ParameterException invalid(
      CommandSpec spec, String flag, Object value, String why) {
    String shown = typed(spec, flag, value);
    String msg = why.startsWith("'" + shown + "'") ? why : "'" + shown + "' " + why;
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + flag + "': " + msg);
  }

  /** {@code parser} applied to {@code value}; its exception becomes {@link #invalid}. */
  public static <T> T parse(
      CommandSpec spec, String flag, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw invalid(spec, flag, value, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** {@code value} if it is a fraction between 0 and 1. */
  public static double fraction(CommandSpec spec, String flag, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw invalid(spec, flag, value, "must be a fraction between 0 and 1");
    }
    return value;
  }

  /** {@code KEY=VALUE} split in two, trimmed. */
  public static String[] keyValue(CommandSpec spec, String flag, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0 || eq == value.length() - 1) {
      throw invalid(spec, flag, value, "must be KEY=VALUE");
    }
    return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
  }

  private static String typed(CommandSpec spec, String flag, Object converted) {
    if (!(converted instanceof String)) {
      OptionSpec option = spec.findOption(flag);
      List<String> typed = option == null ? List.of() : option.originalStringValues();
      if (typed.size() == 1) {
        return typed.get(0);
      }
    }
    return String.valueOf(converted);
  }
}
