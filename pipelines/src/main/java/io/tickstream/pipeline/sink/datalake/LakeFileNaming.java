package io.tickstream.pipeline.sink.datalake;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;

/**
 * Names one lake file as a pure function of its partition, file window, pane and shard:
 *
 * <pre>{@code
 * dt=2025-01-02/hour=14/part-20250102T140000Z-20250102T140100Z-pane0-00001-of-00002.parquet
 * }</pre>
 *
 * <p>Nothing random or clock-based goes in, so a retried bundle, a restarted job or a rerun of the
 * same bounded input renames its file onto the same name (overwriting) instead of adding one. The
 * window bounds are UTC to the second ({@link LakeConfig#fileWindow()} is whole seconds); the pane
 * index tells apart the on-time file (0, or the first firing) from files of late firings. The shard
 * is the lake's own ({@link WriteDataset} chooses it from the record), not FileIO's, which always
 * writes one shard per destination here; FileIO's shard arguments are ignored.
 */
final class LakeFileNaming implements FileIO.Write.FileNaming {
  private static final long serialVersionUID = 1L;

  static final String SUFFIX = ".parquet";

  private static final DateTimeFormatter WINDOW_BOUND =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String partition;
  private final int shard;
  private final int shards;

  LakeFileNaming(String partition, int shard, int shards) {
    this.partition = Objects.requireNonNull(partition, "partition");
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
    }
    this.shard = shard;
    this.shards = shards;
  }

  @Override
  public String getFilename(
      BoundedWindow window,
      PaneInfo pane,
      int fileIoShards,
      int fileIoShardIndex,
      Compression compression) {
    if (!(window instanceof IntervalWindow)) {
      throw new IllegalStateException(
          "lake files are named after their file window, but the input is in " + window);
    }
    IntervalWindow w = (IntervalWindow) window;
    return String.format(
        "%s/part-%s-%s-pane%d-%05d-of-%05d%s",
        partition, bound(w.start()), bound(w.end()), pane.getIndex(), shard, shards, SUFFIX);
  }

  private static String bound(Instant t) {
    return WINDOW_BOUND.format(java.time.Instant.ofEpochMilli(t.getMillis()));
  }
}
