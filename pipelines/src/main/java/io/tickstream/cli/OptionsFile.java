package io.tickstream.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an options file such as {@code runner-configs/flink-local.yaml}: one {@code name: value}
 * per line (a flat YAML map), {@code #} comments, names in camel or kebab case. Each entry becomes
 * {@code --name=value}, applied before the command line's own flags, which override it.
 */
final class OptionsFile {
  private OptionsFile() {}

  /**
   * @throws IllegalArgumentException naming the file and the line that is not {@code name: value}
   */
  static List<String> read(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("--options-file: '" + file + "' is not a readable file");
    }
    List<String> args = new ArrayList<>();
    int n = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      String line = stripComment(raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "--options-file: " + file + " line " + n + " is not 'name: value': " + raw.strip());
      }
      String name = line.substring(0, colon).strip();
      String value = unquote(line.substring(colon + 1).strip());
      args.add("--" + name + "=" + value);
    }
    return args;
  }

  private static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
