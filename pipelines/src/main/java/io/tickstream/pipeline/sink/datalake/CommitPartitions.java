package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Commits what {@link WritePartitions} staged: for every {@code dt} any of the written datasets has
 * files for, replaces that {@code dt} of each of them (with no files: an empty, committed
 * partition) through the {@link PartitionCommit}, markers included; then lets the commit clean up.
 * The output lists the committed leaf partitions, e.g. {@code ticks/dt=2025-01-02/hour=14}.
 */
final class CommitPartitions extends PTransform<PCollection<StagedFile>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final List<Dataset<?>> datasets;
  private final PartitionCommit commit;

  CommitPartitions(List<Dataset<?>> datasets, PartitionCommit commit) {
    this.datasets = List.copyOf(datasets);
    this.commit = Objects.requireNonNull(commit, "commit");
  }

  @Override
  public PCollection<String> expand(PCollection<StagedFile> staged) {
    PCollection<KV<String, StagedFile>> byDt;
    try {
      byDt =
          staged
              .apply(
                  "KeyByDt",
                  WithKeys.of(StagedFile::dtSegment).withKeyType(TypeDescriptors.strings()))
              .setCoder(
                  KvCoder.of(
                      StringUtf8Coder.of(),
                      staged.getPipeline().getSchemaRegistry().getSchemaCoder(StagedFile.class)));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    PCollection<String> committed =
        byDt.apply("GroupByDt", GroupByKey.create())
            .apply("ReplaceDt", ParDo.of(new ReplaceDt(datasets, commit)));
    committed
        .apply("CountCommitted", Count.globally())
        .apply("CleanUp", ParDo.of(new CleanUp(datasets, commit)));
    return committed;
  }

  /** Replaces one {@code dt} of every dataset. */
  private static final class ReplaceDt extends DoFn<KV<String, Iterable<StagedFile>>, String> {
    private static final long serialVersionUID = 1L;

    private final List<Dataset<?>> datasets;
    private final PartitionCommit commit;
    private final Counter committed = PipelineMetrics.counter(PipelineMetrics.PARTITIONS_COMMITTED);

    ReplaceDt(List<Dataset<?>> datasets, PartitionCommit commit) {
      this.datasets = datasets;
      this.commit = commit;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<StagedFile>> dt, OutputReceiver<String> out)
        throws IOException {
      // Read once: a runner's grouped values may be iterable only once (Flink's batch mode).
      List<StagedFile> all = new ArrayList<>();
      dt.getValue().forEach(all::add);
      for (Dataset<?> dataset : datasets) {
        List<StagedFile> files = new ArrayList<>();
        for (StagedFile f : all) {
          if (f.getDataset().equals(dataset.name())) {
            files.add(f);
          }
        }
        for (SuccessMarker marker : commit.replace(dataset, dt.getKey(), files)) {
          committed.inc();
          out.output(dataset.name() + "/" + marker.partition());
        }
      }
    }
  }

  /** Runs once every {@code dt} is replaced: lets the commit clean up after the run. */
  static final class CleanUp extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;

    private final List<Dataset<?>> datasets;
    private final PartitionCommit commit;

    CleanUp(List<Dataset<?>> datasets, PartitionCommit commit) {
      this.datasets = datasets;
      this.commit = commit;
    }

    @ProcessElement
    public void process() throws IOException {
      for (Dataset<?> dataset : datasets) {
        commit.finish(dataset);
      }
    }
  }
}
