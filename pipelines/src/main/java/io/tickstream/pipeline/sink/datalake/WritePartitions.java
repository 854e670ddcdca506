package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes one {@link Dataset} of a bounded run, in batches of records (as a step emits them; the
 * runner moves a batch as one element), as whole partitions, not per file window: the records of
 * each leaf partition and shard sorted by {@code (symbol, partition time)} (then by their encoded
 * bytes, so the order is total and reruns write the same files), into Snappy Parquet files rolled
 * over once one reaches {@code targetFileBytes}. Files go where the {@link PartitionCommit} stages
 * them; nothing is visible to readers until {@link CommitPartitions} commits them. The output lists
 * every file written.
 *
 * <p>A record's shard is a hash of its symbol (of its bytes where there is none), so one symbol's
 * rows of a partition are in one file and its row groups' statistics are tight. One partition and
 * shard is sorted in memory: an hour of ticks, a day of the other datasets; more shards ({@code
 * --lake-shards}) make that smaller.
 */
public final class WritePartitions<T>
    extends PTransform<PCollection<List<T>>, PCollection<StagedFile>> {
  private static final long serialVersionUID = 1L;

  private final Dataset<T> dataset;
  private final PartitionCommit commit;
  private final int shards;
  private final long targetFileBytes;

  private WritePartitions(
      Dataset<T> dataset, PartitionCommit commit, int shards, long targetFileBytes) {
    super("Write" + WriteDataset.stepName(dataset).substring("Write".length()) + "Partitions");
    if (shards < 1 || shards > LakeConfig.MAX_SHARDS) {
      throw new IllegalArgumentException(
          "shards '" + shards + "' must be 1 to " + LakeConfig.MAX_SHARDS);
    }
    if (targetFileBytes < 1) {
      throw new IllegalArgumentException("target file size must be positive: " + targetFileBytes);
    }
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.commit = Objects.requireNonNull(commit, "commit");
    this.shards = shards;
    this.targetFileBytes = targetFileBytes;
  }

  /** Writes {@code dataset} for {@code commit}, {@code shards} files (or more) per partition. */
  static <T> WritePartitions<T> of(
      Dataset<T> dataset, PartitionCommit commit, int shards, long targetFileBytes) {
    return new WritePartitions<>(dataset, commit, shards, targetFileBytes);
  }

  @Override
  public PCollection<StagedFile> expand(PCollection<List<T>> input) {
    if (!(input.getCoder() instanceof ListCoder)) {
      throw new IllegalArgumentException(
          "batches of " + dataset + " need a ListCoder, not " + input.getCoder());
    }
    Coder<T> coder = ((ListCoder<T>) input.getCoder()).getElemCoder();
    PCollection<KV<KV<String, Integer>, Iterable<List<T>>>> groups =
        input
            .apply("IntoOneWindow", Window.<List<T>>into(new GlobalWindows()))
            .apply("KeyByPartition", ParDo.of(new ByPartitionAndShard<>(dataset, coder, shards)))
            .setCoder(
                KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), ListCoder.of(coder)))
            .apply("GroupByPartition", GroupByKey.create());
    try {
      return groups
          .apply(
              "WriteSortedFiles",
              ParDo.of(new WriteSortedFiles<>(dataset, coder, commit, targetFileBytes)))
          .setCoder(input.getPipeline().getSchemaRegistry().getSchemaCoder(StagedFile.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A batch's records by leaf partition and shard, one output per group (most batches: one). */
  private static final class ByPartitionAndShard<T>
      extends DoFn<List<T>, KV<KV<String, Integer>, List<T>>> {
    private final RecordPlacement<T> placement;

    ByPartitionAndShard(Dataset<T> dataset, Coder<T> coder, int shards) {
      this.placement = new RecordPlacement<>(dataset, coder, shards);
    }

    @ProcessElement
    public void process(
        @Element List<T> batch, OutputReceiver<KV<KV<String, Integer>, List<T>>> out) {
      Map<KV<String, Integer>, List<T>> groups = new LinkedHashMap<>();
      for (T record : batch) {
        groups
            .computeIfAbsent(
                KV.of(placement.partitionPath(record), placement.shardBySymbol(record)),
                k -> new ArrayList<>())
            .add(record);
      }
      groups.forEach((group, records) -> out.output(KV.of(group, records)));
    }
  }

  /** The order of rows in a partition's files: symbol, partition time, encoded bytes. */
  static final class RowOrder<T> implements Comparator<T> {
    private final Dataset<T> dataset;
    private final Coder<T> coder;
    private final int symbolColumn;

    RowOrder(Dataset<T> dataset, Coder<T> coder) {
      this.dataset = dataset;
      this.coder = coder;
      this.symbolColumn = symbolColumn(dataset);
    }

    /** The position of the {@code symbol} column, or -1 (dead letters have none). */
    static int symbolColumn(Dataset<?> dataset) {
      return dataset.schema().hasField("symbol") ? dataset.schema().indexOf("symbol") : -1;
    }

    @Override
    public int compare(T a, T b) {
      if (symbolColumn >= 0) {
        int bySymbol =
            ((String) dataset.column(a, symbolColumn))
                .compareTo((String) dataset.column(b, symbolColumn));
        if (bySymbol != 0) {
          return bySymbol;
        }
      }
      int byTime = dataset.partitionTime(a).compareTo(dataset.partitionTime(b));
      if (byTime != 0) {
        return byTime;
      }
      try {
        return Arrays.compareUnsigned(
            CoderUtils.encodeToByteArray(coder, a), CoderUtils.encodeToByteArray(coder, b));
      } catch (CoderException e) {
        throw new IllegalArgumentException("cannot encode a " + dataset + " record", e);
      }
    }
  }

  /** Sorts one partition and shard and writes it into files of about the target size. */
  private static final class WriteSortedFiles<T>
      extends DoFn<KV<KV<String, Integer>, Iterable<List<T>>>, StagedFile> {
    private static final long serialVersionUID = 1L;

    /** Records between two looks at the open file's size. */
    private static final int SIZE_CHECK_EVERY = 1_000;

    private final Dataset<T> dataset;
    private final Coder<T> coder;
    private final PartitionCommit commit;
    private final long targetFileBytes;
    private final Counter rowsWritten = PipelineMetrics.counter(PipelineMetrics.LAKE_ROWS_WRITTEN);
    private final Counter rowsIn = PipelineMetrics.counter(PipelineMetrics.LAKE_ROWS_IN);

    WriteSortedFiles(
        Dataset<T> dataset, Coder<T> coder, PartitionCommit commit, long targetFileBytes) {
      this.dataset = dataset;
      this.coder = coder;
      this.commit = commit;
      this.targetFileBytes = targetFileBytes;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Integer>, Iterable<List<T>>> group, OutputReceiver<StagedFile> out)
        throws IOException {
      String partition = group.getKey().getKey();
      int shard = group.getKey().getValue();
      List<T> rows = new ArrayList<>();
      for (List<T> batch : group.getValue()) {
        rows.addAll(batch);
      }
      rowsIn.inc(rows.size());
      rows.sort(new RowOrder<>(dataset, coder));
      String dir = commit.stagingDirectory(dataset, partition);
      int seq = 0;
      int from = 0;
      while (from < rows.size()) {
        String name = commit.fileName(shard, seq++);
        Written file = writeFile(dir + name, rows, from);
        int to = file.end();
        long maxEvent = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
          maxEvent = Math.max(maxEvent, dataset.partitionTime(rows.get(i)).getMillis());
        }
        out.output(
            StagedFile.create(
                dataset.name(), partition, dir + name, name, to - from, file.bytes(), maxEvent));
        rowsWritten.inc(to - from);
        from = to;
      }
    }

    /** A file written: the index after its last row, and its size. */
    private record Written(int end, long bytes) {}

    /** Writes rows from {@code from} on into one file until it is full. */
    private Written writeFile(String location, List<T> rows, int from) throws IOException {
      ParquetFileSink<T> sink =
          new ParquetFileSink<>(
              dataset.schema(), dataset::column, dataset.avroSchema(), dataset.dictionaryColumns());
      ResourceId file = FileSystems.matchNewResource(location, false);
      int i = from;
      try (CountingChannel channel =
          new CountingChannel(FileSystems.create(file, MimeTypes.BINARY))) {
        sink.open(channel);
        while (i < rows.size()) {
          sink.write(rows.get(i++));
          if ((i - from) % SIZE_CHECK_EVERY == 0 && sink.dataSize() >= targetFileBytes) {
            break;
          }
        }
        sink.flush();
        return new Written(i, channel.bytes);
      }
    }
  }

  /** Counts the bytes written through a channel. */
  private static final class CountingChannel implements WritableByteChannel {
    private final WritableByteChannel channel;
    long bytes;

    CountingChannel(WritableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = channel.write(src);
      bytes += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
