package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The files a streaming lake write stages, and what a stopped run leaves of them. Beam's file
 * writes put each bundle's file under the writer's {@link LakeConfig#tempDirectory} and rename it
 * into place once the runner holds the result; a run that is killed or cancelled leaves the files
 * it was writing there, and no later write removes them.
 *
 * <p>They may only go when no run can still need them: a run resumed from a checkpoint or a
 * savepoint renames the files its restored state names, and Beam skips missing ones, so deleting
 * them early would lose rows without an error. {@link #clear} is therefore for a fresh start of the
 * writer (nothing restored) and for a run that is done (every window written, no state left); a
 * resumed run leaves its predecessor's files until it is done.
 */
public final class TempFiles {
  private TempFiles() {}

  /**
   * Deletes every file under {@code lake}'s writer's temp directory of each dataset, on any file
   * system Beam has registered; returns how many there were.
   */
  public static long clear(LakeConfig lake) throws IOException {
    long removed = 0;
    for (Dataset<?> dataset : Dataset.all()) {
      MatchResult match =
          FileSystems.match(lake.tempDirectory(dataset) + "**", EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.NOT_FOUND) {
        continue;
      }
      List<ResourceId> files =
          match.metadata().stream().map(MatchResult.Metadata::resourceId).toList();
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      removed += files.size();
    }
    return removed;
  }
}
