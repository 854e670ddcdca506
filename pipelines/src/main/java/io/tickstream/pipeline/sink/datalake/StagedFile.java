package io.tickstream.pipeline.sink.datalake;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/**
 * One Parquet file a batch write has finished but not yet committed: where it was written and what
 * it holds, everything a {@code _SUCCESS} marker ({@link SuccessMarker}) lists.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class StagedFile {
  /** The dataset, e.g. {@code ticks}. */
  @SchemaFieldNumber("0")
  public abstract String getDataset();

  /** The leaf partition, e.g. {@code dt=2025-01-02/hour=14}. */
  @SchemaFieldNumber("1")
  public abstract String getPartition();

  /** Where the file was written, a full path or URI. */
  @SchemaFieldNumber("2")
  public abstract String getLocation();

  /** The file's name once committed, e.g. {@code part-00000-00000.parquet}. */
  @SchemaFieldNumber("3")
  public abstract String getName();

  @SchemaFieldNumber("4")
  public abstract long getRows();

  @SchemaFieldNumber("5")
  public abstract long getBytes();

  /** The latest partition time among the file's records, in epoch milliseconds. */
  @SchemaFieldNumber("6")
  public abstract long getMaxEventMillis();

  @SchemaCreate
  public static StagedFile create(
      String dataset,
      String partition,
      String location,
      String name,
      long rows,
      long bytes,
      long maxEventMillis) {
    return new AutoValue_StagedFile(
        dataset, partition, location, name, rows, bytes, maxEventMillis);
  }

  /** The {@code dt=...} segment of the partition, the unit a backfill replaces. */
  public String dtSegment() {
    int slash = getPartition().indexOf('/');
    return slash < 0 ? getPartition() : getPartition().substring(0, slash);
  }
}
