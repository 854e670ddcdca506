package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.Serializable;
import java.util.zip.CRC32;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;

/**
 * Where the lake writers file a record of one dataset: its partition path and its shard in {@code
 * [0, shards)}, each a function of the record alone, so reruns put the same records in the same
 * files. Not thread-safe (one per DoFn instance, as Beam gives them).
 */
final class RecordPlacement<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long HOUR_MILLIS = 3_600_000L;

  private final Dataset<T> dataset;
  private final Coder<T> coder;
  private final int shards;
  private final int symbolColumn;

  /** The last partition path and the hour it is for: consecutive records share an hour. */
  private transient long cachedHour;

  private transient @Nullable String cachedPath;

  RecordPlacement(Dataset<T> dataset, Coder<T> coder, int shards) {
    this.dataset = dataset;
    this.coder = coder;
    this.shards = shards;
    this.symbolColumn =
        dataset.schema().hasField("symbol") ? dataset.schema().indexOf("symbol") : -1;
  }

  /** The record's partition path; partitions are whole UTC hours or days, so it is the hour's. */
  String partitionPath(T record) {
    long hour = Math.floorDiv(dataset.partitionTime(record).getMillis(), HOUR_MILLIS);
    if (hour != cachedHour || cachedPath == null) {
      cachedPath = dataset.partitionPath(new Instant(hour * HOUR_MILLIS));
      cachedHour = hour;
    }
    return cachedPath;
  }

  /** A shard from the record's encoded bytes: records spread evenly. */
  int shardByBytes(T record) {
    if (shards == 1) {
      return 0;
    }
    CRC32 crc = new CRC32();
    try {
      crc.update(CoderUtils.encodeToByteArray(coder, record));
    } catch (CoderException e) {
      throw new IllegalArgumentException("cannot encode a " + dataset + " record", e);
    }
    return (int) (crc.getValue() % shards);
  }

  /**
   * A shard from the record's symbol, so one symbol's rows of a partition share a file (from its
   * bytes for a dataset without symbols).
   */
  int shardBySymbol(T record) {
    if (shards == 1 || symbolColumn < 0) {
      return shardByBytes(record);
    }
    return Math.floorMod(String.valueOf(dataset.column(record, symbolColumn)).hashCode(), shards);
  }
}
