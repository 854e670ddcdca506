package io.tickstream.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * tickstream's own pipeline flags, declared once as Beam {@link PipelineOptions} getters (name,
 * {@link Description} with the unit, {@link Default}, type) and offered on the command line as
 * picocli options: kebab-case names, typed checks, one help screen and one-line errors with every
 * other flag of the command. A matched flag goes on to Beam as {@code --camelName=value}; Beam's
 * own and the runners' options are not here, they pass through.
 *
 * <p>Only getters of interfaces in {@code io.tickstream} packages are flags here; each such
 * interface is a group in {@code --help}, headed by its own {@link Description}.
 */
final class PipelineFlags {
  /** One flag: its Beam property and its picocli option. */
  record Flag(String property, OptionSpec option) {
    String name() {
      return option.longestName();
    }
  }

  private final Map<String, Flag> byName;
  private final List<ArgGroupSpec> groups;

  private PipelineFlags(Map<String, Flag> byName, List<ArgGroupSpec> groups) {
    this.byName = byName;
    this.groups = groups;
  }

  /** The flags {@code options} and the tickstream interfaces it extends declare. */
  static PipelineFlags of(Class<? extends PipelineOptions> options) {
    Map<String, Flag> byName = new LinkedHashMap<>();
    List<ArgGroupSpec> groups = new ArrayList<>();
    for (Class<?> type : tickstreamInterfaces(options)) {
      ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(false).validate(false);
      Description heading = type.getAnnotation(Description.class);
      group.heading((heading == null ? type.getSimpleName() : heading.value()) + " options:%n");
      boolean any = false;
      // Sorted: the order of getDeclaredMethods is not the source's, nor stable.
      List<Method> getters = new ArrayList<>(List.of(type.getDeclaredMethods()));
      getters.sort(java.util.Comparator.comparing(Method::getName));
      for (Method getter : getters) {
        if (!getter.getName().startsWith("get")
            || getter.getParameterCount() != 0
            || !getter.isAnnotationPresent(Description.class)) {
          continue;
        }
        String property = property(getter);
        Flag flag = new Flag(property, option(property, getter));
        if (byName.put(flag.name(), flag) == null) {
          group.addArg(flag.option());
          any = true;
        }
      }
      if (any) {
        groups.add(group.build());
      }
    }
    return new PipelineFlags(byName, groups);
  }

  /** Adds every flag to {@code spec}, in groups. */
  void addTo(CommandSpec spec) {
    for (ArgGroupSpec group : groups) {
      spec.addArgGroup(group);
    }
  }

  /** The flags given (on the command line or in an options file), for Beam: {@code --p=v}. */
  List<String> beamArgs(ParseResult parsed) {
    List<String> args = new ArrayList<>();
    for (Flag f : byName.values()) {
      if (parsed.hasMatchedOption(f.option())) {
        Object value = f.option().getValue();
        args.add("--" + f.property() + "=" + value);
      }
    }
    return args;
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

  private static String property(Method getter) {
    String p = getter.getName().substring(3);
    return Character.toLowerCase(p.charAt(0)) + p.substring(1);
  }

  private static OptionSpec option(String property, Method getter) {
    Class<?> type = getter.getReturnType();
    OptionSpec.Builder b =
        OptionSpec.builder("--" + kebab(property))
            .type(type)
            .description(getter.getAnnotation(Description.class).value())
            .paramLabel(
                getter.isAnnotationPresent(ParamLabel.class)
                    ? getter.getAnnotation(ParamLabel.class).value()
                    : label(type));
    if (type == boolean.class) {
      b.arity("0..1");
    }
    String def = defaultOf(getter);
    if (def != null) {
      b.defaultValue(def);
    }
    return b.build();
  }

  private static String label(Class<?> type) {
    if (type == int.class || type == long.class) {
      return "N";
    }
    if (type == double.class) {
      return "NUMBER";
    }
    if (type == boolean.class) {
      return "true|false";
    }
    return "VALUE";
  }

  private static @Nullable String defaultOf(Method m) {
    if (m.isAnnotationPresent(Default.String.class)) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.isAnnotationPresent(Default.Integer.class)) {
      return Integer.toString(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.isAnnotationPresent(Default.Long.class)) {
      return Long.toString(m.getAnnotation(Default.Long.class).value());
    }
    if (m.isAnnotationPresent(Default.Double.class)) {
      double d = m.getAnnotation(Default.Double.class).value();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    if (m.isAnnotationPresent(Default.Boolean.class)) {
      return Boolean.toString(m.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }

  /** {@code options} and its super-interfaces from {@code io.tickstream}, parents in order. */
  private static List<Class<?>> tickstreamInterfaces(Class<?> options) {
    List<Class<?>> out = new ArrayList<>();
    collect(options, out);
    return out;
  }

  private static void collect(Class<?> type, List<Class<?>> out) {
    if (!type.getName().startsWith("io.tickstream.") || out.contains(type)) {
      return;
    }
    out.add(type);
    for (Class<?> parent : type.getInterfaces()) {
      collect(parent, out);
    }
  }
}
