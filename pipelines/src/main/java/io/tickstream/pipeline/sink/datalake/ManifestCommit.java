package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * {@link PartitionCommit} for a lake on an object store ({@code s3://}), which has no rename: new
 * files are written straight into their partition under names no earlier run used ({@code
 * part-<run>-<shard>-<seq>.parquet}), so no old file is overwritten in place; each leaf partition's
 * {@code _SUCCESS} marker, listing exactly its new files, is then written with one PUT, which is
 * atomic; only then are the old files deleted, everything under {@code dt=…} that no new marker
 * lists.
 *
 * <p>A reader that follows the markers ({@code _SUCCESS} first, then the files it lists) sees a
 * leaf partition's old files or its new ones, never a mix, at every moment. A reader that just
 * lists the prefix sees the new files beside the old ones from the write until the deletes, seconds
 * at most. An interrupted run leaves files no marker lists (readers that follow markers ignore
 * them); the next commit of that {@code dt} deletes them.
 */
final class ManifestCommit implements PartitionCommit {
  private static final long serialVersionUID = 1L;

  private final String root;
  private final String runId;
  private final String writtenBy;

  ManifestCommit(String root, String runId, String writtenBy) {
    this.root = root;
    this.runId = runId;
    this.writtenBy = writtenBy;
  }

  private String partitionDirectory(Dataset<?> dataset, String partition) {
    return root + "/" + dataset.name() + "/" + partition + "/";
  }

  @Override
  public String stagingDirectory(Dataset<?> dataset, String partition) {
    return partitionDirectory(dataset, partition);
  }

  @Override
  public String fileName(int shard, int seq) {
    return String.format("part-%s-%05d-%05d%s", runId, shard, seq, LakeFileNaming.SUFFIX);
  }

  @Override
  public List<SuccessMarker> replace(Dataset<?> dataset, String dt, List<StagedFile> files)
      throws IOException {
    List<SuccessMarker> markers = new ArrayList<>();
    Set<String> keep = new HashSet<>();
    for (Map.Entry<String, List<StagedFile>> leaf :
        LocalPartitionSwap.byLeaf(dataset, dt, files).entrySet()) {
      String dir = partitionDirectory(dataset, leaf.getKey());
      for (StagedFile f : leaf.getValue()) {
        if (!f.getLocation().equals(dir + f.getName())) {
          throw new IllegalArgumentException(f.getLocation() + " was not staged by this run");
        }
        keep.add(f.getLocation());
      }
      SuccessMarker marker =
          SuccessMarker.of(dataset.name(), leaf.getKey(), writtenBy, leaf.getValue());
      String markerLocation = dir + SuccessMarker.NAME;
      write(markerLocation, marker.toJson());
      keep.add(markerLocation);
      markers.add(marker);
    }
    List<ResourceId> old = new ArrayList<>();
    for (MatchResult.Metadata m : list(partitionDirectory(dataset, dt) + "**")) {
      if (!keep.contains(m.resourceId().toString())) {
        old.add(m.resourceId());
      }
    }
    FileSystems.delete(old, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    return markers;
  }

  /** Nothing is staged outside the partitions. */
  @Override
  public void finish(Dataset<?> dataset) {}

  /** The files matching {@code glob}; none when nothing does. */
  static List<MatchResult.Metadata> list(String glob) throws IOException {
    MatchResult result = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    try {
      return result.metadata();
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  static void write(String location, byte[] bytes) throws IOException {
    ResourceId file = FileSystems.matchNewResource(location, false);
    try (WritableByteChannel out = FileSystems.create(file, MimeTypes.BINARY)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
  }
}
