package io.tickstream.cli;

import io.tickstream.generator.Cli;
import io.tickstream.generator.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./tickstream}: the command line of the whole project, one subcommand per job. */
@Command(
    name = "tickstream",
    mixinStandardHelpOptions = true,
    version = "tickstream 0.1.0",
    description = "Real-time trading data pipeline on Apache Beam.",
    subcommands = {
      GenerateCommand.class,
      StreamCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Tickstream implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The full command tree with tickstream's conventions applied. */
  public static CommandLine commandLine(java.util.Map<String, String> env) {
    return Cli.configure(new CommandLine(new Tickstream()), env);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
