package io.tickstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.LakeReader;
import io.tickstream.pipeline.sink.datalake.S3LakeClientFactory;
import io.tickstream.pipeline.sink.datalake.S3LakeOptions;
import io.tickstream.pipeline.sink.datalake.S3rverLake;
import io.tickstream.pipeline.sink.datalake.SuccessMarker;
import io.tickstream.testing.S3rver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backfill of local landing files into an {@code s3://} lake on a real s3rver, committed the
 * object-store way ({@code ManifestCommit}): the rows are those of the same backfill into a local
 * lake, every leaf partition's {@code _SUCCESS} lists exactly its objects, and a rerun replaces
 * every object of the days it produces, strays included, with its own.
 */
class BackfillS3IT {
  private static final String BUCKET = "tickstream-backfill";
  private static final String PREFIX = "lake";
  private static final String ROOT = "s3://" + BUCKET + "/" + PREFIX;

  /** Three symbols for 90 minutes over midnight, with bad records, resends and disorder. */
  private static final Simulation SIMULATION =
      Simulation.builder()
          .setFirstSymbols(3)
          .setSeed(29)
          .setStartMillis(Instant.parse("2025-03-09T23:15:00Z").toEpochMilli())
          .setDuration(Duration.ofMinutes(90))
          .setSpeed(Double.POSITIVE_INFINITY)
          .setFaults(new FaultConfig(0.02, 0.02, Duration.ofSeconds(5), 0, Duration.ZERO))
          .build();

  @TempDir Path s3Data;
  @TempDir Path work;

  @Test
  void backfillsIntoS3AsLocallyAndARerunReplacesTheDaysItProduces() throws Exception {
    String landing =
        LandingFiles.firehose(LandingFiles.emissions(SIMULATION), work.resolve("landing"));
    Path localLake = work.resolve("local-lake");
    BackfillPipelineTest.run(config(landing, localLake.toString(), "local"));
    Map<String, Long> localMarkers = localMarkers(localLake);

    try (S3rver s3 = S3rver.start(s3Data, BUCKET)) {
      runOnS3(s3, config(landing, ROOT, "first"));
      List<String> firstKeys = s3.keys(BUCKET, PREFIX + "/");
      assertFalse(firstKeys.isEmpty(), s3.recentOutput());
      for (String key : firstKeys) {
        assertTrue(
            key.endsWith("/" + SuccessMarker.NAME) || name(key).startsWith("part-first-"), key);
      }
      assertSameRows(s3, localLake);
      assertEquals(localMarkers, markersListingExactlyTheirObjects(s3));

      // Strays in a produced day: an hour the backfill does not produce, and beside new files.
      String day = dtOf(firstKeys, Dataset.TICKS);
      List<String> strays =
          List.of(
              PREFIX + "/ticks/" + day + "/hour=05/part-stale.parquet",
              PREFIX + "/" + Dataset.BARS_1M.name() + "/" + day + "/part-stale.parquet");
      try (S3Client client = s3Client(s3)) {
        for (String stray : strays) {
          client.putObject(
              b -> b.bucket(BUCKET).key(stray), RequestBody.fromBytes("not parquet".getBytes()));
        }
      }
      assertTrue(s3.keys(BUCKET, PREFIX + "/").containsAll(strays), s3.recentOutput());

      runOnS3(s3, config(landing, ROOT, "second"));
      List<String> secondKeys = s3.keys(BUCKET, PREFIX + "/");
      for (String key : secondKeys) {
        assertFalse(strays.contains(key), key + " was left");
        assertFalse(name(key).startsWith("part-first-"), key + " of the first run was left");
        assertTrue(
            key.endsWith("/" + SuccessMarker.NAME) || name(key).startsWith("part-second-"), key);
      }
      assertEquals(
          firstKeys.stream().map(k -> k.replace("part-first-", "part-second-")).toList(),
          secondKeys,
          "the same objects, under the second run's names");
      assertSameRows(s3, localLake);
      assertEquals(localMarkers, markersListingExactlyTheirObjects(s3));
    }
  }

  private static BackfillConfig config(String input, String lake, String runId) {
    return BackfillConfig.builder()
        .setInput(input)
        .setStrategy(BackfillPipelineTest.STRATEGY)
        .setLake(LakeConfig.at(lake))
        .setRunId(runId)
        .build();
  }

  /** Beam's S3 file system pointed at the s3rver, on the DirectRunner. */
  private static S3LakeOptions s3Options(S3rver s3) {
    S3LakeOptions options = S3rverLake.options(s3);
    options.setRunner(DirectRunner.class);
    return options;
  }

  private static void runOnS3(S3rver s3, BackfillConfig config) {
    PipelineOptions options = s3Options(s3);
    PipelineResult result = BackfillPipeline.run(options, config);
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish(), s3.recentOutput());
  }

  private static S3Client s3Client(S3rver s3) {
    S3LakeOptions options = s3Options(s3);
    S3LakeClientFactory.install(options);
    return new S3LakeClientFactory().createBuilder(options.as(S3Options.class)).build();
  }

  /** Every dataset's rows on S3 are the local lake's; dead letters but for when received. */
  private static void assertSameRows(S3rver s3, Path localLake) throws Exception {
    try (LakeReader fromS3 = LakeReader.s3rver(s3, BUCKET, PREFIX);
        LakeReader fromDisk = LakeReader.local(localLake)) {
      for (Dataset<?> dataset : Dataset.all()) {
        if (dataset == Dataset.DEAD_LETTER) {
          continue;
        }
        assertEquals(fromDisk.records(dataset), fromS3.records(dataset), dataset.name());
      }
      assertFalse(fromS3.records(Dataset.TICKS).isEmpty());
      List<String> deadLetters = deadLettersButWhenReceived(fromS3);
      assertFalse(deadLetters.isEmpty(), "the simulation has bad records");
      assertEquals(deadLettersButWhenReceived(fromDisk), deadLetters);
    }
  }

  private static List<String> deadLettersButWhenReceived(LakeReader reader) {
    return reader.records(Dataset.DEAD_LETTER).stream()
        .map(
            d ->
                String.join(
                    " | ",
                    d.getEventTime().toString(),
                    d.getSource(),
                    d.getPosition(),
                    d.getPayload(),
                    d.getPayloadEncoding(),
                    d.getErrorCode(),
                    d.getErrorMessage(),
                    d.getStep()))
        .sorted()
        .toList();
  }

  /**
   * Checks that every leaf partition on S3 (every key prefix holding an object) has a marker
   * listing exactly the data objects beside it and counting their rows; returns {@code
   * dataset/partition} to rows.
   */
  private static Map<String, Long> markersListingExactlyTheirObjects(S3rver s3) throws Exception {
    Map<String, Long> rows = new TreeMap<>();
    try (LakeReader reader = LakeReader.s3rver(s3, BUCKET, PREFIX)) {
      for (Dataset<?> dataset : Dataset.all()) {
        String datasetPrefix = PREFIX + "/" + dataset.name() + "/";
        Map<String, List<String>> leaves = new TreeMap<>();
        for (String key : s3.keys(BUCKET, datasetPrefix)) {
          String relative = key.substring(datasetPrefix.length());
          int slash = relative.lastIndexOf('/');
          leaves
              .computeIfAbsent(relative.substring(0, slash), p -> new ArrayList<>())
              .add(relative.substring(slash + 1));
        }
        for (Map.Entry<String, List<String>> leaf : leaves.entrySet()) {
          String partition = leaf.getKey();
          String where = dataset.name() + "/" + partition;
          List<String> objects = new ArrayList<>(leaf.getValue());
          assertTrue(objects.remove(SuccessMarker.NAME), where + " has no marker: " + objects);
          String markerKey = datasetPrefix + partition + "/" + SuccessMarker.NAME;
          SuccessMarker marker =
              SuccessMarker.parse(Files.readAllBytes(s3.objectFile(BUCKET, markerKey)), markerKey);
          assertEquals(dataset.name(), marker.dataset(), where);
          assertEquals(partition, marker.partition(), where);
          assertEquals("backfill", marker.writtenBy(), where);
          assertEquals(objects.stream().sorted().toList(), marker.fileNames(), where + " files");
          assertEquals(reader.count(dataset, partition), marker.rows(), where + " rows");
          long listed = marker.files().stream().mapToLong(SuccessMarker.FileEntry::rows).sum();
          assertEquals(marker.rows(), listed, where + " rows of the files");
          rows.put(where, marker.rows());
        }
      }
    }
    assertFalse(rows.isEmpty());
    return rows;
  }

  /** {@code dataset/partition} to rows, of the local lake's markers. */
  private static Map<String, Long> localMarkers(Path lake) throws IOException {
    Map<String, Long> rows = new TreeMap<>();
    try (var all = Files.walk(lake)) {
      for (Path marker :
          all.filter(p -> p.getFileName().toString().equals(SuccessMarker.NAME)).toList()) {
        SuccessMarker m = SuccessMarker.parse(Files.readAllBytes(marker), marker.toString());
        rows.put(m.dataset() + "/" + m.partition(), m.rows());
      }
    }
    return rows;
  }

  /** The first {@code dt=…} segment that {@code dataset} has objects in. */
  private static String dtOf(List<String> keys, Dataset<?> dataset) {
    TreeSet<String> days = new TreeSet<>();
    String prefix = PREFIX + "/" + dataset.name() + "/";
    for (String key : keys) {
      if (key.startsWith(prefix)) {
        days.add(key.substring(prefix.length()).split("/")[0]);
      }
    }
    assertEquals(2, days.size(), "90 minutes over midnight: two days, " + days);
    return days.first();
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
