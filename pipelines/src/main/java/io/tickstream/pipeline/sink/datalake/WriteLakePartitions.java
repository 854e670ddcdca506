package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The batch counterpart of {@link WriteLake}: writes the datasets of a bounded run (the same input,
 * each under its {@link Dataset#tag()} or {@link Dataset#batchesTag()}) as whole partitions ({@link
 * WritePartitions}) and replaces every {@code dt} partition it produces, in each dataset, with a
 * {@code _SUCCESS} marker per leaf partition ({@link CommitPartitions}). Rows whose partition time
 * is outside {@link #between} are not written (a backfill's warm-up), and counted ({@value
 * PipelineMetrics#ROWS_OUTSIDE_RANGE}). The output lists the committed leaf partitions.
 */
public final class WriteLakePartitions extends PTransform<PCollectionTuple, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final LakeConfig lake;
  private final String runId;
  private final long targetFileBytes;
  private final @Nullable Long fromMillis;
  private final @Nullable Long toMillis;

  private WriteLakePartitions(
      LakeConfig lake,
      String runId,
      long targetFileBytes,
      @Nullable Long fromMillis,
      @Nullable Long toMillis) {
    this.lake = Objects.requireNonNull(lake, "lake");
    this.runId = Objects.requireNonNull(runId, "runId");
    this.targetFileBytes = targetFileBytes;
    this.fromMillis = fromMillis;
    this.toMillis = toMillis;
  }

  /**
   * Writes to {@code lake}, {@link LakeConfig#shards()} files per partition, each closed at about
   * {@code targetFileBytes}; {@code runId} (letters and digits) names this run's staged files.
   */
  public static WriteLakePartitions to(LakeConfig lake, String runId, long targetFileBytes) {
    return new WriteLakePartitions(lake, runId, targetFileBytes, null, null);
  }

  /** Writes only rows whose partition time is in [{@code fromMillis}, {@code toMillis}). */
  public WriteLakePartitions between(@Nullable Long fromMillis, @Nullable Long toMillis) {
    return new WriteLakePartitions(lake, runId, targetFileBytes, fromMillis, toMillis);
  }

  @Override
  public PCollection<String> expand(PCollectionTuple input) {
    PartitionCommit commit = PartitionCommit.of(lake, runId, "backfill");
    List<Dataset<?>> written = new ArrayList<>();
    List<PCollection<StagedFile>> staged = new ArrayList<>();
    for (Dataset<?> dataset : Dataset.all()) {
      PCollection<StagedFile> files = write(input, dataset, commit);
      if (files != null) {
        written.add(dataset);
        staged.add(files);
      }
    }
    if (written.isEmpty()) {
      throw new IllegalArgumentException(
          "WriteLakePartitions input holds no dataset; tag each with Dataset.X.tag() or"
              + " Dataset.X.batchesTag()");
    }
    return PCollectionList.of(staged)
        .apply("AllStagedFiles", Flatten.pCollections())
        .apply("CommitPartitions", new CommitPartitions(written, commit));
  }

  private <T> @Nullable PCollection<StagedFile> write(
      PCollectionTuple input, Dataset<T> dataset, PartitionCommit commit) {
    String name = WriteDataset.stepName(dataset).substring("Write".length());
    PCollection<List<T>> batches;
    if (input.has(dataset.batchesTag())) {
      batches = input.get(dataset.batchesTag());
    } else if (input.has(dataset.tag())) {
      PCollection<T> records = input.get(dataset.tag());
      batches =
          records
              .apply(
                  name + "AsBatches",
                  MapElements.into(new TypeDescriptor<List<T>>() {})
                      .via((T record) -> List.of(record)))
              .setCoder(ListCoder.of(records.getCoder()));
    } else {
      return null;
    }
    return batches
        .apply("Keep" + name + "InRange", ParDo.of(new InRange<>(dataset, fromMillis, toMillis)))
        .setCoder(batches.getCoder())
        .apply(WritePartitions.of(dataset, commit, lake.shards(), targetFileBytes));
  }

  /** Keeps the records whose partition time is in range; counts the others. */
  private static final class InRange<T> extends DoFn<List<T>, List<T>> {
    private final Dataset<T> dataset;
    private final long from;
    private final long to;
    private final Counter outside = PipelineMetrics.counter(PipelineMetrics.ROWS_OUTSIDE_RANGE);

    InRange(Dataset<T> dataset, @Nullable Long from, @Nullable Long to) {
      this.dataset = dataset;
      this.from = from == null ? Long.MIN_VALUE : from;
      this.to = to == null ? Long.MAX_VALUE : to;
    }

    @ProcessElement
    public void process(@Element List<T> batch, OutputReceiver<List<T>> out) {
      List<T> kept = new ArrayList<>(batch.size());
      for (T record : batch) {
        long t = dataset.partitionTime(record).getMillis();
        if (t >= from && t < to) {
          kept.add(record);
        }
      }
      outside.inc(batch.size() - kept.size());
      if (kept.size() == batch.size()) {
        out.output(batch);
      } else if (!kept.isEmpty()) {
        out.output(kept);
      }
    }
  }
}
