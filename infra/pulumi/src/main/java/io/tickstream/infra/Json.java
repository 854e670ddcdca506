package io.tickstream.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON that AWS takes inside resource arguments: policies, container and step definitions. */
final class Json {
  /** The one mapper of the program. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** {@code node} as a JSON string; a tree built in memory always writes. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + node, e);
    }
  }
}
