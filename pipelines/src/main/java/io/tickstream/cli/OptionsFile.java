package io.tickstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An options file such as {@code runner-configs/flink-local.yaml}: a YAML mapping from option names
 * (kebab or camel case: {@code max-out-of-orderness} or {@code maxOutOfOrderness}) to values, read
 * with a real YAML parser. A scalar is the option's value; a list gives the option once per item (a
 * repeatable flag, or a list-typed Beam option); a mapping is passed as JSON, for Beam options
 * whose values are objects ({@code awsCredentialsProvider: {"@type": ...}}). Quoting, comments,
 * flow and block styles are YAML's.
 *
 * <p>Each entry becomes arguments as on the command line, applied before the command line's own,
 * which override them. Whether a key is an option of the command, and its value of the right type,
 * is for the command to check: it names this file and the key when it is not ({@link Entry}).
 */
final class OptionsFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One key of the file and the arguments it stands for.
   *
   * @param key the key as written
   * @param args {@code --key=value}, once per value
   * @param shape what the YAML value was: {@code value}, {@code list} or {@code mapping}
   */
  record Entry(String key, List<String> args, String shape) {}

  private OptionsFile() {}

  /**
   * @throws IllegalArgumentException one line naming the file: unreadable, not YAML, not a mapping,
   *     or a key whose value is empty
   */
  static List<Entry> read(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("'" + file + "' is not a readable file");
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new IllegalArgumentException(
          "'"
              + file
              + "' is not valid YAML"
              + where
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse("").strip());
    } catch (IOException e) {
      throw new IllegalArgumentException("'" + file + "' cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || (root.isObject() && root.isEmpty())) {
      return List.of();
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "'" + file + "' must be a mapping of option names to values, not a " + kind(root));
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      String shape = value.isArray() ? "list" : value.isObject() ? "mapping" : "value";
      entries.add(new Entry(e.getKey(), args(file, e.getKey(), value), shape));
    }
    return entries;
  }

  private static List<String> args(Path file, String key, JsonNode value) {
    String flag = "--" + key + "=";
    List<String> args = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (item.isContainerNode()) {
          throw new IllegalArgumentException(
              file + ": " + key + ": a list item is a " + kind(item) + "; items must be values");
        }
        args.add(flag + item.asText());
      }
    } else if (value.isObject()) {
      try {
        args.add(flag + JSON.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else if (value.isNull()) {
      throw new IllegalArgumentException(file + ": " + key + " has no value");
    } else {
      args.add(flag + value.asText());
    }
    return args;
  }

  private static String kind(JsonNode node) {
    return node.isArray() ? "list" : node.isObject() ? "mapping" : "value '" + node.asText() + "'";
  }
}
