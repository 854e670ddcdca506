package io.tickstream.cli;

import io.tickstream.generator.GenerateCommand;
import io.tickstream.generator.GeneratorConfig;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.options.TickstreamOptions;
import io.tickstream.pipeline.sink.lake.LakeOptions;
import io.tickstream.pipeline.sink.lake.S3LakeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tickstream stream}: runs the pipeline, by default on Flink embedded in this JVM. This
 * class and {@link JobRun} are the launcher: the only place that knows runners by name.
 */
@Command(
    name = "stream",
    description = {
      "Runs the tickstream pipeline: ticks -> bars -> signals -> positions and trades -> Parquet"
          + " lake.",
      "Runs on embedded Flink (--flinkMaster=[local]) unless --runner says otherwise; any Beam or"
          + " Flink option passes through (--parallelism=2, --checkpointingInterval=10000...).",
      "With --source generator, the simulation flags of 'tickstream generate' apply (--symbols,"
          + " --seed, --duration, --speed, --bad-rate...)."
    })
public class StreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--options-file",
      paramLabel = "FILE",
      description = "Flat YAML of options (see runner-configs/), applied before the command line.")
  Path optionsFile;

  @Unmatched List<String> args = new ArrayList<>();

  /** Arguments applied before the user's, which override them. */
  protected List<String> presetArgs() {
    return List.of();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (help) {
      printHelp(spec.commandLine().getOut());
      return 0;
    }
    List<String> all = new ArrayList<>(presetArgs());
    if (optionsFile != null) {
      try {
        all.addAll(OptionsFile.read(optionsFile));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    all.addAll(args);
    CommandLine generate =
        new CommandLine(new GenerateCommand()).setOverwrittenOptionsAllowed(true);
    StreamArgs split;
    try {
      split = StreamArgs.split(all, generate.getCommandSpec().optionsMap().keySet());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    generate.parseArgs(split.generatorArgs().toArray(new String[0]));
    GeneratorConfig generator;
    try {
      generator = ((GenerateCommand) generate.getCommand()).toConfig();
    } catch (ParameterException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }

    TickstreamOptions options;
    StreamConfig config;
    try {
      options =
          PipelineOptionsFactory.fromArgs(split.beamArgs().toArray(new String[0]))
              .as(TickstreamOptions.class);
      config = StreamConfig.from(options, generator);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), beamMessage(e));
    }
    boolean onFlink = applyRunnerDefaults(options, split.beamArgs(), config);
    return new JobRun(options, config, onFlink, err, spec.qualifiedName()).run();
  }

  /**
   * Embedded Flink unless a runner is named; batch mode for files; object reuse on Flink; on
   * embedded Flink, a Flink configuration that registers the progress reporter.
   */
  private static boolean applyRunnerDefaults(
      TickstreamOptions options, List<String> beamArgs, StreamConfig config) throws IOException {
    boolean runnerGiven = beamArgs.stream().anyMatch(a -> a.startsWith("--runner="));
    if (!runnerGiven) {
      options.setRunner(FlinkRunner.class);
    }
    if (beamArgs.stream().noneMatch(a -> a.startsWith("--streaming"))) {
      options.setStreaming(!config.source().bounded());
    }
    if (options.getRunner().getSimpleName().startsWith("Direct")) {
      options.as(DirectOptions.class).setBlockOnRun(false);
      return false;
    }
    if (!options.getRunner().equals(FlinkRunner.class)) {
      return false;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (beamArgs.stream().noneMatch(a -> a.startsWith("--flinkMaster="))) {
      flink.setFlinkMaster("[local]");
    }
    if (beamArgs.stream().noneMatch(a -> a.startsWith("--objectReuse"))) {
      // Every transform leaves its inputs and emitted outputs alone (the DirectRunner tests
      // enforce it), so Flink may hand elements down a chain without a coder round trip.
      flink.setObjectReuse(true);
    }
    if ("[local]".equals(flink.getFlinkMaster())) {
      FlinkProgressReporter.registerWith(flink);
    }
    return true;
  }

  private static String beamMessage(IllegalArgumentException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    // Beam names properties in camel case; say the flag as the user wrote it.
    java.util.regex.Matcher unknown =
        java.util.regex.Pattern.compile("missing a property named '([^']+)'").matcher(m);
    if (unknown.find()) {
      return "unknown option --" + StreamArgs.kebab(unknown.group(1));
    }
    return m.split("\n")[0];
  }

  /** Every tickstream pipeline option with its description and default, in kebab case. */
  void printHelp(PrintWriter out) {
    out.println("Usage: " + spec.qualifiedName() + " [--OPTION=VALUE]...");
    for (String line : spec.usageMessage().description()) {
      out.println(line);
    }
    out.println();
    out.println("Pipeline options:");
    List<Method> getters = new ArrayList<>();
    for (Class<?> options :
        List.of(TickstreamOptions.class, LakeOptions.class, S3LakeOptions.class)) {
      for (Method m : options.getDeclaredMethods()) {
        if (m.getName().startsWith("get") && m.isAnnotationPresent(Description.class)) {
          getters.add(m);
        }
      }
    }
    getters.sort(java.util.Comparator.comparing(Method::getName));
    for (Method m : getters) {
      String property = m.getName().substring(3);
      String name =
          StreamArgs.kebab(Character.toLowerCase(property.charAt(0)) + property.substring(1));
      out.printf(
          "  --%s%n      %s%s%n", name, m.getAnnotation(Description.class).value(), defaultOf(m));
    }
    out.println();
    out.println(
        "Generator source options: see 'tickstream generate --help' (simulation and faults).");
    out.println(
        "Runner options: any Beam/Flink option, e.g. --runner=DirectRunner, --parallelism=2.");
    out.flush();
  }

  private static String defaultOf(Method m) {
    if (m.isAnnotationPresent(Default.String.class)) {
      return " Default: " + m.getAnnotation(Default.String.class).value();
    }
    if (m.isAnnotationPresent(Default.Integer.class)) {
      return " Default: " + m.getAnnotation(Default.Integer.class).value();
    }
    if (m.isAnnotationPresent(Default.Double.class)) {
      return " Default: " + m.getAnnotation(Default.Double.class).value();
    }
    return "";
  }
}
