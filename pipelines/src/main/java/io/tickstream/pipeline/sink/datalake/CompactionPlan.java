package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Which days of a dataset a compaction rewrites, decided before the job starts from what the lake
 * holds: a day is compacted only when every leaf partition in it with data is committed (has a
 * {@code _SUCCESS}), the day ended at least {@code olderThan} ago (the stream may still write a
 * younger one), and it is not compact already (every marker by {@code compact} or {@code backfill},
 * at most one file a leaf). The files read are those the markers name: a file a marker does not
 * list is not part of the partition.
 *
 * @param days the days to compact, e.g. {@code dt=2025-01-02}
 * @param files the committed files of those days, full locations
 * @param skipped the days left alone, each with its reason
 */
public record CompactionPlan(List<String> days, List<String> files, Map<String, String> skipped) {

  /**
   * Plans the compaction of {@code dataset} in {@code lake}: of one day when {@code day} is set,
   * else of every day.
   */
  public static CompactionPlan of(
      LakeConfig lake, Dataset<?> dataset, @Nullable LocalDate day, Duration olderThan, Instant now)
      throws IOException {
    String base = lake.location(dataset) + "/" + (day == null ? "dt=*" : "dt=" + day);
    String leafGlob = base + (dataset.partitionKeys().size() > 1 ? "/hour=*/*" : "/*");
    Map<String, Map<String, List<String>>> byDay = new TreeMap<>(); // dt -> leaf dir -> names
    for (MatchResult.Metadata m : ManifestCommit.list(leafGlob)) {
      String location = m.resourceId().toString();
      String name = location.substring(location.lastIndexOf('/') + 1);
      String leaf = location.substring(0, location.lastIndexOf('/'));
      String relative = leaf.substring(lake.location(dataset).length() + 1);
      String dt = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : relative;
      byDay
          .computeIfAbsent(dt, k -> new TreeMap<>())
          .computeIfAbsent(leaf, k -> new ArrayList<>())
          .add(name);
    }
    List<String> days = new ArrayList<>();
    List<String> files = new ArrayList<>();
    Map<String, String> skipped = new TreeMap<>();
    for (Map.Entry<String, Map<String, List<String>>> d : byDay.entrySet()) {
      String dt = d.getKey();
      Instant end =
          LocalDate.parse(dt.substring("dt=".length()))
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
      if (end.plus(olderThan).isAfter(now)) {
        skipped.put(dt, "younger than " + olderThan + " after its end: the stream may still write");
        continue;
      }
      List<String> dayFiles = new ArrayList<>();
      boolean compact = true;
      String uncommitted = null;
      for (Map.Entry<String, List<String>> leaf : d.getValue().entrySet()) {
        Set<String> names = new TreeSet<>(leaf.getValue());
        boolean hasData = names.stream().anyMatch(n -> n.endsWith(LakeFileNaming.SUFFIX));
        if (!names.contains(SuccessMarker.NAME)) {
          if (hasData) {
            uncommitted = leaf.getKey();
          }
          continue;
        }
        String markerLocation = leaf.getKey() + "/" + SuccessMarker.NAME;
        SuccessMarker marker = SuccessMarker.parse(readAll(markerLocation), markerLocation);
        if (marker.fileNames().size() > 1
            || !(marker.writtenBy().equals("compact") || marker.writtenBy().equals("backfill"))) {
          compact = false;
        }
        for (String name : marker.fileNames()) {
          dayFiles.add(leaf.getKey() + "/" + name);
        }
      }
      if (uncommitted != null) {
        skipped.put(dt, uncommitted + " has no " + SuccessMarker.NAME + ": not committed");
      } else if (compact) {
        skipped.put(dt, "already compact");
      } else if (!dayFiles.isEmpty()) {
        days.add(dt);
        files.addAll(dayFiles);
      }
    }
    return new CompactionPlan(days, files, skipped);
  }

  private static byte[] readAll(String location) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(location, false)))) {
      return in.readAllBytes();
    }
  }
}
