package io.tickstream.cli;

import io.tickstream.pipeline.options.TickstreamOptions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits the {@code stream} command line between the in-pipeline generator (its simulation flags
 * are {@code tickstream generate}'s, parsed by the same code) and Beam (everything else:
 * tickstream's {@link TickstreamOptions} and any runner option such as {@code --parallelism}).
 * Kebab-case flags become Beam's camel case: {@code --max-out-of-orderness=30s} is {@code
 * --maxOutOfOrderness=30s}.
 *
 * @param generatorArgs arguments for the generate command, as given
 * @param beamArgs arguments for Beam, each as {@code --camelName=value} or {@code --flag}
 */
record StreamArgs(List<String> generatorArgs, List<String> beamArgs) {

  /** tickstream's own pipeline options, by Beam property name. */
  static Set<String> pipelineProperties() {
    Set<String> names = new TreeSet<>();
    for (Method m : TickstreamOptions.class.getDeclaredMethods()) {
      if (m.getName().startsWith("get") && m.getParameterCount() == 0) {
        names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
      }
    }
    return names;
  }

  /**
   * @param generatorOptions long option names of the generate command, e.g. {@code --seed}
   */
  static StreamArgs split(List<String> args, Set<String> generatorOptions) {
    Set<String> pipeline = pipelineProperties();
    List<String> gen = new ArrayList<>();
    List<String> beam = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("'" + a + "' is not an option (options start with --)");
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      String value = null;
      if (eq >= 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      }
      String camel = camel(name.substring(2));
      if (!pipeline.contains(camel) && generatorOptions.contains(name)) {
        gen.add(name);
        if (value != null) {
          gen.add(value);
        }
      } else {
        beam.add(value == null ? "--" + camel : "--" + camel + "=" + value);
      }
    }
    // A flag given twice (a preset, then the user's) keeps its last value.
    java.util.Map<String, String> last = new java.util.LinkedHashMap<>();
    for (String b : beam) {
      int eq = b.indexOf('=');
      String key = eq < 0 ? b : b.substring(0, eq);
      last.remove(key);
      last.put(key, b);
    }
    return new StreamArgs(gen, new ArrayList<>(last.values()));
  }

  /** {@code max-out-of-orderness} to {@code maxOutOfOrderness}; camel case stays as it is. */
  static String camel(String kebab) {
    StringBuilder sb = new StringBuilder(kebab.length());
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /** {@code maxOutOfOrderness} to {@code max-out-of-orderness}. */
  static String kebab(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('-').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
