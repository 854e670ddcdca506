package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Writes one {@link Dataset} to the lake as Snappy-compressed Parquet in Hive-style partitions:
 * {@code <root>/<dataset>/dt=YYYY-MM-DD[/hour=HH]/part-<window>-pane<i>-<shard>-of-<n>.parquet}.
 *
 * <p><b>Input.</b> Bounded or unbounded, in any windowing; elements must carry event-time
 * timestamps (a file window groups records by element timestamp, while the partition comes from the
 * record's own {@link Dataset#partitionField()} in UTC, so e.g. a trade lands under its exit date
 * whatever its timestamp). The same transform serves streaming and batch on any runner.
 *
 * <p><b>Windowing and lateness.</b> Records are re-windowed into {@link LakeConfig#fileWindow()}
 * fixed windows. A window's files are written when the watermark passes its end (for bounded input:
 * at the end), then again, in new files with a higher pane index, for each batch of late records
 * that arrives within {@link LakeConfig#allowedLateness()}; panes are discarding, so every record
 * is in exactly one file. Records later than the allowed lateness relative to the watermark are the
 * only ones this write can drop: the runner discards them with the expired window (Beam counts them
 * in its {@code droppedDueToLateness}); this write counts the rows it is handed ({@value
 * PipelineMetrics#LAKE_ROWS_IN}) and the rows it writes ({@value
 * PipelineMetrics#LAKE_ROWS_WRITTEN}), so the summary shows what was dropped.
 *
 * <p><b>Files.</b> Each window, pane and partition gets at most {@link LakeConfig#shards()} files;
 * a record's shard is a hash of its encoded bytes, and names are a pure function of partition,
 * window, pane and shard ({@link LakeFileNaming}), so a retried bundle, or a bounded rerun over the
 * same input, overwrites files instead of adding duplicates. Files are staged by Beam under the
 * writer's {@link LakeConfig#tempDirectory}, a hidden directory that Hive-style readers skip, and
 * renamed into place (on S3: copied and deleted); what a killed run left there goes as {@link
 * TempFiles} says.
 *
 * <p><b>Failures.</b> Nothing is dropped or logged per record: a record that cannot be converted
 * (e.g. a null in a non-nullable field) or an I/O error fails the bundle, which the runner retries
 * and, if it keeps failing, fails the pipeline.
 *
 * <p><b>Output.</b> One element per written file: the partition directory relative to the lake root
 * ({@code ticks/dt=2025-01-02/hour=14}) and the file's full name, in the file's window and pane,
 * e.g. for writing {@code _SUCCESS} markers once the watermark passes a partition.
 */
public final class WriteDataset<T>
    extends PTransform<PCollection<T>, PCollection<KV<String, String>>> {
  private static final long serialVersionUID = 1L;

  /**
   * Most records in one batch. Batches end with the runner's bundle anyway; this bounds the memory
   * a batch holds when bundles are large (e.g. a bounded run's).
   */
  static final int MAX_BATCH = 10_000;

  private final Dataset<T> dataset;
  private final LakeConfig config;

  private WriteDataset(Dataset<T> dataset, LakeConfig config) {
    super(stepName(dataset));
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Writes {@code dataset} to the lake {@code config} describes. */
  public static <T> WriteDataset<T> of(Dataset<T> dataset, LakeConfig config) {
    return new WriteDataset<>(dataset, config);
  }

  /** {@code bars_1m} → {@code WriteBars1m}: stable, so runner state survives pipeline updates. */
  static String stepName(Dataset<?> dataset) {
    StringBuilder name = new StringBuilder("Write");
    for (String part : dataset.name().split("_")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<T> input) {
    PCollection<List<T>> batches =
        input
            .apply(
                "AsBatches",
                MapElements.into(new TypeDescriptor<List<T>>() {})
                    .via((T record) -> List.of(record)))
            .setCoder(ListCoder.of(input.getCoder()));
    return write(batches, dataset, config, input.getCoder(), null);
  }

  /**
   * Writes {@code dataset} to the lake from batches of records, each record in the file window of
   * its {@link Dataset#partitionTime} (for ticks: its event time). A batch's timestamp must be at
   * most its records' partition times. For the datasets one step emits many records of at once,
   * such as ticks: a batch goes through the runner as one element.
   */
  public static <T> Batches<T> ofBatches(Dataset<T> dataset, LakeConfig config) {
    return new Batches<>(dataset, config);
  }

  /** {@link WriteDataset} of batches of records; see {@link #ofBatches}. */
  public static final class Batches<T>
      extends PTransform<PCollection<List<T>>, PCollection<KV<String, String>>> {
    private static final long serialVersionUID = 1L;

    private final Dataset<T> dataset;
    private final LakeConfig config;

    private Batches(Dataset<T> dataset, LakeConfig config) {
      super(stepName(dataset));
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public PCollection<KV<String, String>> expand(PCollection<List<T>> input) {
      if (!(input.getCoder() instanceof ListCoder)) {
        throw new IllegalArgumentException(
            "batches of " + dataset + " need a ListCoder, not " + input.getCoder());
      }
      Coder<T> coder = ((ListCoder<T>) input.getCoder()).getElemCoder();
      return write(input, dataset, config, coder, dataset::partitionTime);
    }
  }

  private static <T> PCollection<KV<String, String>> write(
      PCollection<List<T>> input,
      Dataset<T> dataset,
      LakeConfig config,
      Coder<T> coder,
      @Nullable SerializableFunction<T, Instant> eventTime) {
    int shards = config.shards();
    long fileWindowMillis = config.fileWindow().toMillis();

    PCollection<KV<KV<String, Integer>, List<T>>> batches =
        input
            .apply(
                "BatchByFile",
                ParDo.of(
                    new BatchByFile<>(
                        new FileGroupOf<>(dataset, coder, shards),
                        MAX_BATCH,
                        fileWindowMillis,
                        eventTime)))
            .setCoder(
                KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), ListCoder.of(coder)))
            .apply(
                "WindowIntoFiles",
                Window.<KV<KV<String, Integer>, List<T>>>into(
                        FixedWindows.of(Duration.millis(fileWindowMillis)))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withLateFirings(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(
                        Duration.millis(config.allowedLateness().toMillis()),
                        Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
                    .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                    .discardingFiredPanes());

    WriteFilesResult<KV<String, Integer>> written =
        batches.apply(
            "WriteParquet",
            FileIO.<KV<String, Integer>, KV<KV<String, Integer>, List<T>>>writeDynamic()
                .by(KV::getKey)
                .withDestinationCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
                .via(
                    new BatchSink<>(
                        new ParquetFileSink<>(
                            dataset.schema(),
                            dataset::column,
                            dataset.avroSchema(),
                            dataset.dictionaryColumns())))
                .to(config.location(dataset))
                .withTempDirectory(config.tempDirectory(dataset))
                .withNaming(group -> new LakeFileNaming(group.getKey(), group.getValue(), shards))
                // The lake's shards are part of the destination; FileIO writes one file for each.
                .withNumShards(1));

    String prefix = dataset.name() + "/";
    return written
        .getPerDestinationOutputFilenames()
        .apply(
            "ListWrittenFiles",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(file -> KV.of(prefix + file.getKey().getKey(), file.getValue())));
  }

  /** A record's file group: its partition path and a shard from its bytes. */
  private static final class FileGroupOf<T>
      implements SerializableFunction<T, KV<String, Integer>> {
    private static final long serialVersionUID = 1L;

    private final RecordPlacement<T> placement;

    FileGroupOf(Dataset<T> dataset, Coder<T> coder, int shards) {
      this.placement = new RecordPlacement<>(dataset, coder, shards);
    }

    @Override
    public KV<String, Integer> apply(T record) {
      return KV.of(placement.partitionPath(record), placement.shardByBytes(record));
    }
  }

  /** Writes each record of a batch to one file through the per-record {@code sink}. */
  private static final class BatchSink<T> implements FileIO.Sink<KV<KV<String, Integer>, List<T>>> {
    private static final long serialVersionUID = 1L;

    private final FileIO.Sink<T> sink;
    private final Counter rowsWritten = PipelineMetrics.counter(PipelineMetrics.LAKE_ROWS_WRITTEN);

    BatchSink(FileIO.Sink<T> sink) {
      this.sink = sink;
    }

    @Override
    public void open(WritableByteChannel channel) throws IOException {
      sink.open(channel);
    }

    @Override
    public void write(KV<KV<String, Integer>, List<T>> batch) throws IOException {
      for (T record : batch.getValue()) {
        sink.write(record);
      }
      rowsWritten.inc(batch.getValue().size());
    }

    @Override
    public void flush() throws IOException {
      sink.flush();
    }
  }
}
