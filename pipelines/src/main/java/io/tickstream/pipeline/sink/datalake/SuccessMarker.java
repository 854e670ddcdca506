package io.tickstream.pipeline.sink.datalake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The {@code _SUCCESS} marker of a committed lake partition: a small JSON document written last
 * into the partition's directory, naming the files that make it up, with their row counts, and the
 * latest event time in it. A partition with a marker is complete; its marker's file list is the
 * partition, whatever else a listing shows (on object stores, old files go after the marker).
 *
 * <pre>{@code
 * {"dataset":"ticks","partition":"dt=2025-01-02/hour=14","rows":72000,
 *  "max_event_time":"2025-01-02T14:59:59.875Z","written_by":"backfill",
 *  "files":[{"name":"part-00000-00000.parquet","rows":72000,"bytes":2617344}]}
 * }</pre>
 *
 * <p>Nothing in it depends on when or by which run it was written, so committing the same data
 * twice writes the same marker.
 *
 * @param dataset the dataset's name
 * @param partition the leaf partition, e.g. {@code dt=2025-01-02/hour=14}
 * @param rows the rows of all files
 * @param maxEventTime the latest partition time of any row, or null when there are none
 * @param writtenBy the job that committed it: {@code backfill}, {@code stream} or {@code compact}
 * @param files the files, by name
 */
public record SuccessMarker(
    String dataset,
    String partition,
    long rows,
    @Nullable Instant maxEventTime,
    String writtenBy,
    List<FileEntry> files) {

  /**
   * The marker's file name; readers skip it, as every name starting with {@code _} or {@code .}.
   */
  public static final String NAME = "_SUCCESS";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of a committed partition. */
  public record FileEntry(String name, long rows, long bytes) {}

  public SuccessMarker {
    files = files.stream().sorted(Comparator.comparing(FileEntry::name)).toList();
  }

  /** The marker of {@code files}, all of one leaf partition of {@code dataset}. */
  public static SuccessMarker of(
      String dataset, String partition, String writtenBy, List<StagedFile> files) {
    long rows = 0;
    long maxEvent = Long.MIN_VALUE;
    List<FileEntry> entries = new ArrayList<>();
    for (StagedFile f : files) {
      if (!f.getDataset().equals(dataset) || !f.getPartition().equals(partition)) {
        throw new IllegalArgumentException(
            f.getLocation() + " is not in " + dataset + "/" + partition);
      }
      rows += f.getRows();
      maxEvent = Math.max(maxEvent, f.getMaxEventMillis());
      entries.add(new FileEntry(f.getName(), f.getRows(), f.getBytes()));
    }
    return new SuccessMarker(
        dataset,
        partition,
        rows,
        rows == 0 ? null : Instant.ofEpochMilli(maxEvent),
        writtenBy,
        entries);
  }

  /** The file names, sorted. */
  public List<String> fileNames() {
    return files.stream().map(FileEntry::name).toList();
  }

  /** The marker as UTF-8 JSON. */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("dataset", dataset);
    root.put("partition", partition);
    root.put("rows", rows);
    if (maxEventTime == null) {
      root.putNull("max_event_time");
    } else {
      root.put("max_event_time", maxEventTime.toString());
    }
    root.put("written_by", writtenBy);
    ArrayNode list = root.putArray("files");
    for (FileEntry f : files) {
      list.addObject().put("name", f.name()).put("rows", f.rows()).put("bytes", f.bytes());
    }
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a marker.
   *
   * @throws IllegalArgumentException when {@code json} is not a marker, naming {@code where}
   */
  public static SuccessMarker parse(byte[] json, String where) {
    try {
      JsonNode root = JSON.readTree(json);
      List<FileEntry> files = new ArrayList<>();
      for (JsonNode f : required(root, "files", where)) {
        files.add(
            new FileEntry(
                required(f, "name", where).asText(),
                required(f, "rows", where).asLong(),
                required(f, "bytes", where).asLong()));
      }
      JsonNode max = required(root, "max_event_time", where);
      return new SuccessMarker(
          required(root, "dataset", where).asText(),
          required(root, "partition", where).asText(),
          required(root, "rows", where).asLong(),
          max.isNull() ? null : Instant.parse(max.asText()),
          required(root, "written_by", where).asText(),
          files);
    } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(where + " is not a _SUCCESS marker: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode node, String field, String where) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null) {
      throw new IllegalArgumentException(where + " is not a _SUCCESS marker: no '" + field + "'");
    }
    return value;
  }
}
