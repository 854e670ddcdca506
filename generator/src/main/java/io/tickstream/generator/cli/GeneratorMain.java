package io.tickstream.generator.cli;

import picocli.CommandLine;

/**
 * Entry point of the generator's container image (the ECS task): {@code generate} with its options
 * from arguments or {@code TICKSTREAM_*} environment variables.
 */
public final class GeneratorMain {
  private GeneratorMain() {}

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /**
   * The generate command with environment defaults and one-line errors, exit code 2 for bad flags.
   */
  public static CommandLine commandLine(java.util.Map<String, String> env) {
    CommandLine cl = new CommandLine(new GenerateCommand());
    return Cli.configure(Cli.environmentDefaults(cl, env));
  }
}
