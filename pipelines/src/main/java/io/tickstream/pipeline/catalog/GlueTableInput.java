package io.tickstream.pipeline.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A {@link GlueTable} as the JSON {@code TableInput} of Glue's {@code CreateTable} and {@code
 * UpdateTable} APIs: what {@code aws glue create-table --database-name DB --table-input
 * file://table.json} takes.
 */
public final class GlueTableInput {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GlueTableInput() {}

  /** The {@code TableInput} object of {@code table}. */
  public static ObjectNode of(GlueTable table) {
    ObjectNode input = JSON.createObjectNode();
    input.put("Name", table.name());
    input.put("Description", table.description());
    input.put("TableType", GlueTable.TABLE_TYPE);
    input.set("Parameters", strings(table.parameters()));
    input.set("PartitionKeys", columns(table.partitionKeys()));
    ObjectNode storage = input.putObject("StorageDescriptor");
    storage.set("Columns", columns(table.columns()));
    storage.put("Location", table.location());
    storage.put("InputFormat", GlueTable.INPUT_FORMAT);
    storage.put("OutputFormat", GlueTable.OUTPUT_FORMAT);
    ObjectNode serde = storage.putObject("SerdeInfo");
    serde.put("SerializationLibrary", GlueTable.SERIALIZATION_LIBRARY);
    serde.putObject("Parameters").put("serialization.format", "1");
    return input;
  }

  /** {@code tables} as pretty-printed JSON: one object for one table, else an array of them. */
  public static String json(List<GlueTable> tables) {
    try {
      if (tables.size() == 1) {
        return JSON.writeValueAsString(of(tables.get(0)));
      }
      ArrayNode all = JSON.createArrayNode();
      tables.forEach(t -> all.add(of(t)));
      return JSON.writeValueAsString(all);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode strings(Map<String, String> map) {
    ObjectNode node = JSON.createObjectNode();
    map.forEach(node::put);
    return node;
  }

  private static ArrayNode columns(List<CatalogColumn> columns) {
    ArrayNode array = JSON.createArrayNode();
    for (CatalogColumn c : columns) {
      ObjectNode column = array.addObject().put("Name", c.name()).put("Type", c.hiveType());
      if (!c.comment().isEmpty()) {
        column.put("Comment", c.comment());
      }
    }
    return array;
  }
}
