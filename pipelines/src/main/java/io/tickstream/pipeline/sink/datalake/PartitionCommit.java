package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * How a batch write's files become lake partitions: where a partition's new files are written
 * before they count, and the commit that replaces a whole {@code dt} partition of a dataset with
 * them, {@code _SUCCESS} markers ({@link SuccessMarker}) included.
 *
 * <p>{@link #of} picks the lake's way: a directory swap on local disks ({@link
 * LocalPartitionSwap}), fresh names and markers on object stores ({@link ManifestCommit}).
 */
interface PartitionCommit extends Serializable {
  /** The directory, with a trailing separator, that a leaf partition's new files go into. */
  String stagingDirectory(Dataset<?> dataset, String partition);

  /** The name of file {@code seq} of {@code shard} of a partition. */
  String fileName(int shard, int seq);

  /**
   * Replaces partition {@code dt} (e.g. {@code dt=2025-01-02}) of {@code dataset} with {@code
   * files}, every one staged by this commit; none means the partition becomes empty.
   *
   * @return the markers written, one per leaf partition
   */
  List<SuccessMarker> replace(Dataset<?> dataset, String dt, List<StagedFile> files)
      throws IOException;

  /** Once every partition is replaced: removes what this run, or an interrupted one, left. */
  void finish(Dataset<?> dataset) throws IOException;

  /**
   * The commit for {@code lake}.
   *
   * @param runId tells this run's staged files from others': letters and digits
   * @param writtenBy the job, as the markers name it: {@code backfill} or {@code compact}
   */
  static PartitionCommit of(LakeConfig lake, String runId, String writtenBy) {
    if (!runId.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("run id '" + runId + "' must be letters and digits");
    }
    return lake.root().contains("://")
        ? new ManifestCommit(lake.root(), runId, writtenBy)
        : new LocalPartitionSwap(lake.root(), runId, writtenBy);
  }
}
