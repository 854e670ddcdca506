package io.tickstream.generator;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** Command-line conventions shared by every tickstream entry point. */
public final class Cli {
  private Cli() {}

  /**
   * Environment defaults ({@code TICKSTREAM_*}), and a bad flag reported as one line that names the
   * flag and the value, with exit code 2 and no usage dump.
   */
  public static CommandLine configure(CommandLine cl, Map<String, String> env) {
    cl.setDefaultValueProvider(new EnvironmentDefaults(env));
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.setDefaultValueProvider(new EnvironmentDefaults(env));
    }
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
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex);
          c.getErr().flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    return cl;
  }
}
