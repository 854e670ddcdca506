package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;

/**
 * Rewrites committed partitions of one dataset ({@link CompactionPlan}) into few files near the
 * target size, sorted by {@code (symbol, time)} ({@link WritePartitions}), and replaces each {@code
 * dt} with them ({@link PartitionCommit}, markers written by {@code compact}) only once the new
 * files, read back, hold exactly the rows the old ones held: the same count and the same
 * order-independent checksum (the sum of a 64-bit hash of every row's encoded bytes). A mismatch
 * fails the job and leaves the old files. The output lists the committed leaf partitions.
 */
public final class CompactPartitions<T> extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final Dataset<T> dataset;
  private final LakeConfig lake;
  private final String runId;
  private final long targetFileBytes;
  private final List<String> files;

  private CompactPartitions(
      Dataset<T> dataset, LakeConfig lake, String runId, long targetFileBytes, List<String> files) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.lake = Objects.requireNonNull(lake, "lake");
    this.runId = Objects.requireNonNull(runId, "runId");
    this.targetFileBytes = targetFileBytes;
    this.files = List.copyOf(files);
  }

  /** Compacts the partitions {@code plan} chose. */
  public static <T> CompactPartitions<T> of(
      Dataset<T> dataset,
      LakeConfig lake,
      CompactionPlan plan,
      String runId,
      long targetFileBytes) {
    return new CompactPartitions<>(dataset, lake, runId, targetFileBytes, plan.files());
  }

  /**
   * Puts back what an interrupted compaction (or backfill) of {@code dataset} left, before a plan
   * reads the lake: a day moved away by a swap that did not finish, stale staging directories.
   */
  public static void repair(LakeConfig lake, Dataset<?> dataset) throws IOException {
    PartitionCommit.of(lake, "repair", "compact").finish(dataset);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PartitionCommit commit = PartitionCommit.of(lake, runId, "compact");
    Coder<T> coder;
    try {
      coder =
          SchemaCoder.of(
              dataset.schema(),
              org.apache.beam.sdk.values.TypeDescriptor.of(dataset.type()),
              dataset.toRowFunction(),
              dataset.fromRowFunction());
    } catch (RuntimeException e) {
      throw new IllegalStateException(e);
    }
    PCollection<List<T>> records =
        begin
            .apply("CommittedFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
            .apply("SpreadFiles", Reshuffle.viaRandomKey())
            .apply("ReadFiles", ParDo.of(new ReadFile<>(dataset)))
            .setCoder(ListCoder.of(coder));
    PCollection<KV<String, KV<Long, Long>>> before =
        records
            .apply("ChecksumOld", ParDo.of(new ChecksumByPartition<>(dataset, coder)))
            .setCoder(
                KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), VarLongCoder.of())))
            .apply("PerPartition", Combine.perKey(new AddChecksums()));
    PCollection<KV<String, StagedFile>> staged;
    try {
      staged =
          records
              .apply(WritePartitions.of(dataset, commit, 1, targetFileBytes))
              .apply(
                  "KeyByPartition",
                  WithKeys.of(StagedFile::getPartition).withKeyType(TypeDescriptors.strings()))
              .setCoder(
                  KvCoder.of(
                      StringUtf8Coder.of(),
                      begin.getPipeline().getSchemaRegistry().getSchemaCoder(StagedFile.class)));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    TupleTag<KV<Long, Long>> oldTag = new TupleTag<>() {};
    TupleTag<StagedFile> newTag = new TupleTag<>() {};
    PCollection<KV<String, StagedFile>> verified =
        KeyedPCollectionTuple.of(oldTag, before)
            .and(newTag, staged)
            .apply("ByPartition", CoGroupByKey.create())
            .apply("Verify", ParDo.of(new Verify<>(dataset, coder, oldTag, newTag)))
            .setCoder(staged.getCoder());
    PCollection<String> committed =
        verified
            .apply("GroupByDt", GroupByKey.create())
            .apply("Replace", ParDo.of(new Replace(dataset, commit)))
            .setCoder(StringUtf8Coder.of());
    committed
        .apply("CountCommitted", Count.globally())
        .apply("CleanUp", ParDo.of(new CommitPartitions.CleanUp(List.of(dataset), commit)));
    return committed;
  }

  /** Reads one file's records. */
  private static final class ReadFile<T> extends DoFn<String, List<T>> {
    private final Dataset<T> dataset;

    ReadFile(Dataset<T> dataset) {
      this.dataset = dataset;
    }

    @ProcessElement
    public void process(@Element String location, OutputReceiver<List<T>> out) throws IOException {
      out.output(ParquetRecords.read(dataset, location));
    }
  }

  /** The checksum of a batch's rows, by leaf partition. */
  private static final class ChecksumByPartition<T>
      extends DoFn<List<T>, KV<String, KV<Long, Long>>> {
    private final Dataset<T> dataset;
    private final Coder<T> coder;

    ChecksumByPartition(Dataset<T> dataset, Coder<T> coder) {
      this.dataset = dataset;
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element List<T> batch, OutputReceiver<KV<String, KV<Long, Long>>> out) {
      java.util.Map<String, long[]> sums = new java.util.HashMap<>();
      for (T record : batch) {
        long[] sum = sums.computeIfAbsent(dataset.partitionPath(record), k -> new long[2]);
        sum[0]++;
        sum[1] += hash(coder, record);
      }
      sums.forEach((partition, sum) -> out.output(KV.of(partition, KV.of(sum[0], sum[1]))));
    }
  }

  /** Adds (count, hash sum) pairs. */
  private static final class AddChecksums
      implements SerializableBiFunction<KV<Long, Long>, KV<Long, Long>, KV<Long, Long>> {
    @Override
    public KV<Long, Long> apply(KV<Long, Long> a, KV<Long, Long> b) {
      return KV.of(a.getKey() + b.getKey(), a.getValue() + b.getValue());
    }
  }

  /**
   * Reads a leaf partition's new files back and passes them on, keyed by {@code dt}, only when they
   * hold the old files' rows.
   */
  private static final class Verify<T>
      extends DoFn<KV<String, CoGbkResult>, KV<String, StagedFile>> {
    private final Dataset<T> dataset;
    private final Coder<T> coder;
    private final TupleTag<KV<Long, Long>> oldTag;
    private final TupleTag<StagedFile> newTag;

    Verify(
        Dataset<T> dataset,
        Coder<T> coder,
        TupleTag<KV<Long, Long>> oldTag,
        TupleTag<StagedFile> newTag) {
      this.dataset = dataset;
      this.coder = coder;
      this.oldTag = oldTag;
      this.newTag = newTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> partition, OutputReceiver<KV<String, StagedFile>> out)
        throws IOException {
      long oldRows = 0;
      long oldSum = 0;
      for (KV<Long, Long> sum : partition.getValue().getAll(oldTag)) {
        oldRows += sum.getKey();
        oldSum += sum.getValue();
      }
      List<StagedFile> files = new ArrayList<>();
      partition.getValue().getAll(newTag).forEach(files::add);
      long rows = 0;
      long sum = 0;
      for (StagedFile f : files) {
        for (T record : ParquetRecords.read(dataset, f.getLocation())) {
          rows++;
          sum += hash(coder, record);
        }
      }
      if (rows != oldRows || sum != oldSum) {
        throw new IllegalStateException(
            dataset
                + "/"
                + partition.getKey()
                + ": the compacted files hold "
                + rows
                + " rows (checksum "
                + Long.toHexString(sum)
                + ") where the old ones held "
                + oldRows
                + " (checksum "
                + Long.toHexString(oldSum)
                + "); the old files are left as they were");
      }
      for (StagedFile f : files) {
        out.output(KV.of(f.dtSegment(), f));
      }
    }
  }

  /** Replaces one verified {@code dt}. */
  private static final class Replace extends DoFn<KV<String, Iterable<StagedFile>>, String> {
    private final Dataset<?> dataset;
    private final PartitionCommit commit;
    private final Counter committed = PipelineMetrics.counter(PipelineMetrics.PARTITIONS_COMMITTED);

    Replace(Dataset<?> dataset, PartitionCommit commit) {
      this.dataset = dataset;
      this.commit = commit;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<StagedFile>> dt, OutputReceiver<String> out)
        throws IOException {
      List<StagedFile> files = new ArrayList<>();
      dt.getValue().forEach(files::add);
      for (SuccessMarker marker : commit.replace(dataset, dt.getKey(), files)) {
        committed.inc();
        out.output(dataset.name() + "/" + marker.partition());
      }
    }
  }

  private static <T> long hash(Coder<T> coder, T record) {
    try {
      return Hashing.murmur3_128().hashBytes(CoderUtils.encodeToByteArray(coder, record)).asLong();
    } catch (org.apache.beam.sdk.coders.CoderException e) {
      throw new IllegalArgumentException("cannot encode a record", e);
    }
  }
}
