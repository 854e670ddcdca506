package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The one way in of every command that runs a pipeline ({@code stream}, {@code demo}, and the batch
 * commands after them): presets, an options file and the command line become one set of flags; the
 * command turns them into one checked config ({@link #prepare}); what can be checked cheaply is
 * checked before a runner starts; then the {@link Launcher} runs the job. Every mistake found on
 * the way is one line naming the flag and the value, exit code 2.
 *
 * <p>A command's flags are its picocli options and mixins, plus the tickstream getters of its
 * {@link #optionsType()} ({@link PipelineFlags}); any other {@code --option} is Beam's or a
 * runner's, checked by {@link RunnerArgs} and passed through. Flags may be written in kebab case
 * ({@code --max-out-of-orderness}) or in Beam's camel case ({@code --maxOutOfOrderness}).
 */
abstract class PipelineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--options-file",
      paramLabel = "FILE",
      description =
          "YAML of options (see runner-configs/): any flag of this command or Beam/Flink option,"
              + " applied before the command line, which overrides it.")
  Path optionsFile;

  @Option(
      names = "--verbose",
      description = "On a failure, print its stack trace too (it is always in the log file).")
  boolean verbose;

  /** Beam's and the runners' options, as given; checked and passed through. */
  @Unmatched List<String> runnerOptions = new ArrayList<>();

  private final Launcher launcher;
  private final PipelineFlags flags;

  PipelineCommand(Launcher launcher) {
    this.launcher = launcher;
    this.flags = PipelineFlags.of(optionsType());
  }

  /** The options interface whose tickstream getters are this command's pipeline flags. */
  abstract Class<? extends PipelineOptions> optionsType();

  /**
   * Turns the parsed flags into a job ready to run: the config, the checks before start, the
   * runner.
   *
   * @param options the pipeline options, flags and runner options applied
   * @param given this command's flags given in the options file or on the command line (long names,
   *     e.g. {@code --symbols}), not presets
   * @param runnerGiven the Beam properties given, e.g. {@code runner}
   * @throws ParameterException naming the flag and the value
   */
  abstract JobRun.Job prepare(PipelineOptions options, Set<String> given, Set<String> runnerGiven)
      throws Exception;

  /** Arguments applied before the options file and the command line, which override them. */
  List<String> presetArgs() {
    return List.of();
  }

  /** This command's command line: its annotated options and its pipeline flags. */
  static CommandLine commandLine(PipelineCommand command) {
    CommandLine cl = new CommandLine(command);
    command.flags.addTo(cl.getCommandSpec());
    // Presets, then the options file, then the command line: the last value of a flag wins.
    cl.setOverwrittenOptionsAllowed(true);
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    List<String> cli =
        withoutOptionsFile(ownArgs(spec.commandLine().getParseResult().originalArgs()));
    List<String> fileArgs = optionsFile == null ? List.of() : readOptionsFile(optionsFile);
    List<String> givenArgs = new ArrayList<>(fileArgs);
    givenArgs.addAll(normalize(cli));
    Set<String> given = givenFlags(givenArgs);

    List<String> all = new ArrayList<>(normalize(presetArgs()));
    all.addAll(givenArgs);
    spec.commandLine().parseArgs(all.toArray(new String[0]));
    List<String> unmatched = spec.commandLine().getParseResult().unmatched();

    RunnerArgs runner = new RunnerArgs(optionsType());
    List<String> runnerArgs = new ArrayList<>();
    Set<String> runnerGiven = new LinkedHashSet<>();
    for (String typed : joinValues(unmatched)) {
      String arg = "--" + PipelineFlags.camel(RunnerArgs.property(typed)) + valueOf(typed);
      check(runner, arg, nameOf(typed));
      runnerArgs.add(arg);
      runnerGiven.add(RunnerArgs.property(arg));
    }
    List<String> beamArgs = new ArrayList<>(flags.beamArgs(spec.commandLine().getParseResult()));
    beamArgs.addAll(runner.lastWins(runnerArgs));
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0])).as(optionsType());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), JobRun.rootMessage(e));
    }
    JobRun.Job job = prepare(options, given, runnerGiven);
    return afterRun(job, launcher.launch(job, spec.commandLine().getErr()));
  }

  /** What the command does once the job has ended with {@code exitCode}; returns the exit code. */
  int afterRun(JobRun.Job job, int exitCode) throws Exception {
    return exitCode;
  }

  /**
   * The options file's entries as arguments, every key checked: an option of this command (with a
   * value of its type, a list only where it repeats) or a Beam/runner option.
   */
  private List<String> readOptionsFile(Path file) {
    List<OptionsFile.Entry> entries;
    try {
      entries = OptionsFile.read(file);
    } catch (IllegalArgumentException e) {
      throw Flags.invalid(
          spec, "--options-file", file, e.getMessage().replace("'" + file + "' ", ""));
    }
    RunnerArgs runner = new RunnerArgs(optionsType());
    List<String> ours = new ArrayList<>();
    List<String> args = new ArrayList<>();
    for (OptionsFile.Entry entry : entries) {
      String where = file + ": " + entry.key() + ": ";
      OptionSpec option = optionOf("--" + entry.key());
      if (option != null) {
        if (entry.shape().equals("mapping")
            || (entry.shape().equals("list") && !option.isMultiValue())) {
          throw new ParameterException(
              spec.commandLine(),
              where + "is a " + entry.shape() + ", but " + option.longestName() + " takes a value");
        }
        for (String a : entry.args()) {
          String normalized = option.longestName() + a.substring(a.indexOf('='));
          ours.add(normalized);
          args.add(normalized);
        }
        continue;
      }
      String property = PipelineFlags.camel(entry.key());
      if (!runner.knows(property)) {
        String nearest = nearest(entry.key());
        throw new ParameterException(
            spec.commandLine(),
            where
                + "no such option"
                + (nearest.isEmpty() ? "" : " (did you mean " + nearest + "?)")
                + "; keys are this command's flags (see --help) and Beam/Flink options");
      }
      for (String a : entry.args()) {
        String arg = "--" + property + a.substring(a.indexOf('='));
        try {
          runner.check(arg, "--" + entry.key());
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), where + e.getMessage());
        }
        args.add(arg);
      }
    }
    try {
      spec.commandLine().parseArgs(ours.toArray(new String[0]));
    } catch (ParameterException e) {
      throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
    }
    return args;
  }

  private void check(RunnerArgs runner, String arg, String typed) {
    try {
      runner.check(arg, typed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** This command's option of that name, in kebab or camel case, or null. */
  private OptionSpec optionOf(String name) {
    OptionSpec option = spec.findOption(name);
    if (option == null && name.startsWith("--")) {
      option = spec.findOption("--" + PipelineFlags.kebab(name.substring(2)));
    }
    return option;
  }

  /** Option names in kebab case where they are this command's; runner options stay as given. */
  private List<String> normalize(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    for (String a : args) {
      if (!a.startsWith("--")) {
        out.add(a);
        continue;
      }
      OptionSpec option = optionOf(nameOf(a));
      out.add(option == null ? a : option.longestName() + valueOf(a));
    }
    return out;
  }

  /** The long names of this command's options among {@code args}. */
  private Set<String> givenFlags(List<String> args) {
    Set<String> given = new LinkedHashSet<>();
    for (String a : args) {
      OptionSpec option = a.startsWith("-") ? optionOf(nameOf(a)) : null;
      if (option != null) {
        given.add(option.longestName());
      }
    }
    return given;
  }

  /** {@code --x v} pairs as {@code --x=v}. */
  private List<String> joinValues(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new ParameterException(
            spec.commandLine(), "'" + a + "' is not an option (options start with --)");
      }
      if (a.indexOf('=') < 0 && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        a = a + "=" + args.get(++i);
      }
      out.add(a);
    }
    return out;
  }

  /** The arguments after this command's name: the original ones are the whole command line's. */
  private List<String> ownArgs(List<String> original) {
    int at = original.indexOf(spec.name());
    return at < 0 ? original : original.subList(at + 1, original.size());
  }

  private static List<String> withoutOptionsFile(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--options-file")) {
        i++;
      } else if (!a.startsWith("--options-file=")) {
        out.add(a);
      }
    }
    return out;
  }

  /** The nearest option names of this command, for a suggestion; empty if none is near. */
  private String nearest(String key) {
    String kebab = PipelineFlags.kebab(key);
    return spec.options().stream()
        .map(OptionSpec::longestName)
        .filter(n -> RunnerArgs.distance(n.substring(2), kebab) <= 2)
        .limit(3)
        .reduce((a, b) -> a + " or " + b)
        .orElse("");
  }

  private static String nameOf(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }

  private static String valueOf(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? "" : arg.substring(eq);
  }
}
