package io.tickstream.cli;

import io.tickstream.generator.cli.Cli;
import io.tickstream.generator.cli.GenerateCommand;
import java.io.InputStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./tickstream}: the command line of the whole project, one subcommand per job. */
@Command(
    name = "tickstream",
    mixinStandardHelpOptions = true,
    version = "tickstream 0.1.0",
    description = "Real-time trading data pipeline on Apache Beam.")
public final class Tickstream implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    LogFile.open(args.length > 0 && !args[0].startsWith("-") ? args[0] : "tickstream");
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The full command tree with tickstream's conventions applied. */
  public static CommandLine commandLine(Map<String, String> env) {
    return commandLine(env, Launcher.RUN);
  }

  /** The command tree with jobs handed to {@code launcher} (tests pass one that runs nothing). */
  static CommandLine commandLine(Map<String, String> env, Launcher launcher) {
    return commandLine(env, launcher, System.in, System.console() != null);
  }

  /**
   * The command tree with jobs handed to {@code launcher} and {@code query}'s prompt reading {@code
   * stdin}, a person's terminal when {@code terminal}.
   */
  static CommandLine commandLine(
      Map<String, String> env, Launcher launcher, InputStream stdin, boolean terminal) {
    CommandLine root = new CommandLine(new Tickstream());
    CommandLine generate = new CommandLine(new GenerateCommand());
    Cli.environmentDefaults(generate, env);
    root.addSubcommand("generate", generate);
    root.addSubcommand("stream", PipelineCommand.commandLine(new StreamCommand(launcher)));
    root.addSubcommand("demo", PipelineCommand.commandLine(new DemoCommand(launcher)));
    root.addSubcommand("backfill", PipelineCommand.commandLine(new BackfillCommand(launcher)));
    root.addSubcommand("compact", PipelineCommand.commandLine(new CompactCommand(launcher)));
    root.addSubcommand("query", new CommandLine(new QueryCommand(env, stdin, terminal)));
    root.addSubcommand(
        "catalog",
        new CommandLine(new CatalogCommand())
            .addSubcommand("ddl", new CatalogCommand.Ddl())
            .addSubcommand("glue", new CatalogCommand.Glue()));
    root.addSubcommand("report", new CommandLine(new ReportCommand(env)));
    root.addSubcommand("help", new CommandLine.HelpCommand());
    return Cli.configure(root);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
