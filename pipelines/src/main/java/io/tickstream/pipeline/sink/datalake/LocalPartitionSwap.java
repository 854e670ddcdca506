package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@link PartitionCommit} for a lake on a local (or mounted) file system, where a directory rename
 * is atomic: new files are written under {@code <dataset>/.staging-<run>/dt=…/}, a hidden directory
 * readers skip, the markers are written beside them, and the commit swaps directories: the old
 * {@code dt=…} is renamed to {@code .replaced-<run>-dt=…}, the staged one renamed into its place,
 * then the old one deleted. A reader listing the partition sees the old files or the new ones,
 * never a mix (between the two renames, for microseconds, it sees no partition; one that opened the
 * old directory before the swap sees its files go as they are deleted, as with any replacement).
 *
 * <p>File names are {@code part-<shard>-<seq>.parquet}, the same in every run, so a rerun of the
 * same backfill leaves the same lake. An interrupted run leaves at most a staging directory, or a
 * {@code .replaced-} one whose partition is missing; {@link #finish} of the next run deletes the
 * first and renames the second back.
 */
final class LocalPartitionSwap implements PartitionCommit {
  private static final long serialVersionUID = 1L;

  static final String STAGING_PREFIX = ".staging-";
  static final String REPLACED_PREFIX = ".replaced-";

  private final String root;
  private final String runId;
  private final String writtenBy;

  LocalPartitionSwap(String root, String runId, String writtenBy) {
    this.root = root;
    this.runId = runId;
    this.writtenBy = writtenBy;
  }

  private Path datasetDir(Dataset<?> dataset) {
    return Path.of(root, dataset.name());
  }

  private Path stagingRoot(Dataset<?> dataset) {
    return datasetDir(dataset).resolve(STAGING_PREFIX + runId);
  }

  @Override
  public String stagingDirectory(Dataset<?> dataset, String partition) {
    return stagingRoot(dataset).resolve(partition) + "/";
  }

  @Override
  public String fileName(int shard, int seq) {
    return String.format("part-%05d-%05d%s", shard, seq, LakeFileNaming.SUFFIX);
  }

  @Override
  public List<SuccessMarker> replace(Dataset<?> dataset, String dt, List<StagedFile> files)
      throws IOException {
    Path staged = stagingRoot(dataset).resolve(dt);
    Path target = datasetDir(dataset).resolve(dt);
    if (!files.isEmpty() && !Files.exists(staged) && alreadySwapped(dataset, target, files)) {
      // A retry of a commit that got as far as the swap: the staged files are in place.
      List<SuccessMarker> markers = new ArrayList<>();
      for (Map.Entry<String, List<StagedFile>> leaf : byLeaf(dataset, dt, files).entrySet()) {
        markers.add(SuccessMarker.of(dataset.name(), leaf.getKey(), writtenBy, leaf.getValue()));
      }
      return markers;
    }
    Files.createDirectories(staged);
    List<SuccessMarker> markers = new ArrayList<>();
    for (Map.Entry<String, List<StagedFile>> leaf : byLeaf(dataset, dt, files).entrySet()) {
      Path dir = stagingRoot(dataset).resolve(leaf.getKey());
      for (StagedFile f : leaf.getValue()) {
        if (!Path.of(f.getLocation()).getParent().equals(dir)) {
          throw new IllegalArgumentException(f.getLocation() + " was not staged by this run");
        }
      }
      SuccessMarker marker =
          SuccessMarker.of(dataset.name(), leaf.getKey(), writtenBy, leaf.getValue());
      Files.createDirectories(dir);
      Files.write(dir.resolve(SuccessMarker.NAME), marker.toJson());
      markers.add(marker);
    }
    Path replaced = datasetDir(dataset).resolve(REPLACED_PREFIX + runId + "-" + dt);
    if (Files.exists(target)) {
      Files.move(target, replaced, StandardCopyOption.ATOMIC_MOVE);
    }
    // Even empty (an hourly dataset with no hours left), so that a crash before the old one is
    // deleted leaves dt=… in place and the next run's finish deletes the old, not restores it.
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(replaced);
    return markers;
  }

  /** Whether every one of {@code files} is already in {@code target}, under its own name. */
  private static boolean alreadySwapped(Dataset<?> dataset, Path target, List<StagedFile> files) {
    for (StagedFile f : files) {
      Path leaf = target.getParent().resolve(f.getPartition());
      if (!Files.exists(leaf.resolve(f.getName()))
          || !Files.exists(leaf.resolve(SuccessMarker.NAME))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The leaf partitions of {@code dt} and their files. A daily dataset's {@code dt} is a leaf even
   * with no files, so that its emptiness is committed too; an hourly one has no hours then.
   */
  static Map<String, List<StagedFile>> byLeaf(
      Dataset<?> dataset, String dt, List<StagedFile> files) {
    Map<String, List<StagedFile>> leaves = new TreeMap<>();
    if (dataset.partitionKeys().size() == 1) {
      leaves.put(dt, new ArrayList<>());
    }
    for (StagedFile f : files) {
      if (!f.getDataset().equals(dataset.name()) || !f.dtSegment().equals(dt)) {
        throw new IllegalArgumentException(f.getLocation() + " is not in " + dataset + "/" + dt);
      }
      leaves.computeIfAbsent(f.getPartition(), p -> new ArrayList<>()).add(f);
    }
    return leaves;
  }

  @Override
  public void finish(Dataset<?> dataset) throws IOException {
    Path dir = datasetDir(dataset);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(STAGING_PREFIX)) {
          deleteTree(entry);
        } else if (name.startsWith(REPLACED_PREFIX) && name.contains("-dt=")) {
          Path partition = dir.resolve(name.substring(name.indexOf("-dt=") + 1));
          if (Files.exists(partition)) {
            deleteTree(entry);
          } else {
            Files.move(entry, partition, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
