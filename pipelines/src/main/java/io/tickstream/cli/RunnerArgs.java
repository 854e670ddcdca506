package io.tickstream.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The options a command passes through to Beam and its runners ({@code --runner}, {@code
 * --parallelism}, {@code --checkpointingInterval}, {@code --endpoint}...), checked one by one
 * against every registered options interface before anything starts, so a typo or a wrong type is
 * one line naming the option and the value, not a runner's stack trace. Another tickstream
 * command's flags are unknown here.
 */
final class RunnerArgs {
  /**
   * Every option Beam knows, by property name, with its getter's type: every registered options
   * interface (the runners' and IOs' registrars), the command's own included.
   */
  private final Map<String, Class<?>> known = new LinkedHashMap<>();

  private final Class<? extends PipelineOptions> optionsType;

  RunnerArgs(Class<? extends PipelineOptions> optionsType) {
    this.optionsType = optionsType;
    PipelineOptionsFactory.register(optionsType);
    for (Class<? extends PipelineOptions> type : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method m : type.getMethods()) {
        if (ofAnotherCommand(m.getDeclaringClass())) {
          continue;
        }
        String name = m.getName();
        int prefix = name.startsWith("get") ? 3 : name.startsWith("is") ? 2 : 0;
        if (prefix == 0 || m.getParameterCount() != 0 || name.length() == prefix) {
          continue;
        }
        String property = Character.toLowerCase(name.charAt(prefix)) + name.substring(prefix + 1);
        known.putIfAbsent(property, m.getReturnType());
      }
    }
  }

  /**
   * Whether {@code type} holds flags of another tickstream command (e.g. {@code --file-window} of
   * {@code stream} seen by {@code backfill}): registered with Beam, but no option of this one.
   */
  private boolean ofAnotherCommand(Class<?> type) {
    return type.getName().startsWith("io.tickstream.") && !type.isAssignableFrom(optionsType);
  }

  /** Whether Beam knows a property of this name ({@code parallelism}). */
  boolean knows(String property) {
    return known.containsKey(property);
  }

  /**
   * Checks {@code --property[=value]}.
   *
   * @param typed the option as the user wrote it, for the message (e.g. {@code --paralelism})
   * @throws IllegalArgumentException one line: an unknown option with the nearest known ones, or
   *     the option, the value and the type it needs
   */
  void check(String arg, String typed) {
    String property = property(arg);
    Class<?> type = known.get(property);
    if (type == null) {
      throw new IllegalArgumentException(
          "Unknown option: '" + typed + "'" + suggestion(property, isKebab(typed)));
    }
    try {
      PipelineOptionsFactory.fromArgs(arg).as(optionsType);
    } catch (IllegalArgumentException | IllegalStateException e) {
      int eq = arg.indexOf('=');
      String value = eq < 0 ? "" : arg.substring(eq + 1);
      String beam = e.getMessage() == null ? "" : e.getMessage();
      // Beam names the runners it knows; say those rather than the type.
      String why =
          beam.contains("supported pipeline runners")
              ? "is not a runner on the classpath; " + beam.substring(beam.indexOf("supported"))
              : "is not " + typeName(type);
      throw new IllegalArgumentException(
          "Invalid value for option '" + typed + "': '" + value + "' " + why, e);
    }
  }

  /**
   * {@code args} with each non-list option once, its last value winning (an options file's value,
   * then the command line's); list options keep every value.
   */
  List<String> lastWins(List<String> args) {
    Map<String, List<String>> byProperty = new LinkedHashMap<>();
    for (String a : args) {
      String p = property(a);
      Class<?> type = known.get(p);
      boolean list = type != null && (type.isArray() || Collection.class.isAssignableFrom(type));
      List<String> values = byProperty.get(p);
      if (values == null || !list) {
        byProperty.remove(p);
        values = new ArrayList<>();
        byProperty.put(p, values);
      }
      values.add(a);
    }
    List<String> out = new ArrayList<>();
    byProperty.values().forEach(out::addAll);
    return out;
  }

  /** {@code --name=value} or {@code --name} to {@code name}. */
  static String property(String arg) {
    int eq = arg.indexOf('=');
    return (eq < 0 ? arg : arg.substring(0, eq)).replaceFirst("^--", "");
  }

  private static String typeName(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    if (type == Class.class) {
      return "a valid class name";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a valid " + type.getSimpleName();
  }

  private static boolean isKebab(String typed) {
    return typed.substring(2).contains("-");
  }

  /** The nearest known option names, as the user would write them, or nothing. */
  private String suggestion(String property, boolean kebab) {
    List<String> near =
        known.keySet().stream()
            .filter(
                k -> distance(k.toLowerCase(Locale.ROOT), property.toLowerCase(Locale.ROOT)) <= 2)
            .sorted(Comparator.comparingInt(k -> distance(k, property)))
            .limit(3)
            .map(k -> "--" + (kebab ? PipelineFlags.kebab(k) : k))
            .toList();
    return near.isEmpty()
        ? " (no tickstream, Beam or runner option has that name)"
        : " (did you mean " + String.join(" or ", near) + "?)";
  }

  /** Levenshtein distance, for suggestions. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
