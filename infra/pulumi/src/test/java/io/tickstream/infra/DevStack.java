package io.tickstream.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The settings of the example stack, {@code Pulumi.dev.yaml}, as Pulumi hands them over. */
final class DevStack {
  private DevStack() {}

  /** Full key to value; lists and mappings as JSON, as Pulumi passes structured config. */
  static Map<String, String> settings() throws IOException {
    Map<String, String> out = new HashMap<>();
    try (Reader in = Files.newBufferedReader(Path.of("Pulumi.dev.yaml"), StandardCharsets.UTF_8)) {
      Map<String, Object> doc = new Yaml().load(in);
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) doc.get("config");
      ObjectMapper json = new ObjectMapper();
      for (Map.Entry<String, Object> e : config.entrySet()) {
        Object v = e.getValue();
        out.put(e.getKey(), v instanceof String ? (String) v : json.writeValueAsString(v));
      }
    }
    return out;
  }
}
