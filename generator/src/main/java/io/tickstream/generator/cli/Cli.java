package io.tickstream.generator.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** Command-line conventions shared by every tickstream entry point. */
public final class Cli {
  private Cli() {}

  /**
   * Takes {@code cl}'s defaults from the environment ({@code TICKSTREAM_*}, see {@link
   * EnvironmentDefaults}), as an ECS task configures the generator.
   */
  public static CommandLine environmentDefaults(CommandLine cl, Map<String, String> env) {
    cl.setDefaultValueProvider(new EnvironmentDefaults(env));
    return cl;
  }

  /**
   * A bad flag reported as one line that names the flag and the value, with exit code 2 and no
   * usage dump; a failure while running as one line, exit code 1. Applies to the subcommands added
   * so far.
   */
  public static CommandLine configure(CommandLine cl) {
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          PrintWriter err = c.getErr();
          String name = c.getCommandSpec().qualifiedName();
          err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
          err.flush();
          return CommandLine.ExitCode.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          if (ex instanceof CommandLine.ParameterException) {
            throw ex;
          }
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": failed: " + ex);
          c.getErr().flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    return cl;
  }
}
