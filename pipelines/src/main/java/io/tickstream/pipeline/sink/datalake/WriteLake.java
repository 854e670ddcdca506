package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes the pipeline's datasets to the lake: {@link WriteDataset} for each dataset present in the
 * input, which holds each under its {@link Dataset#tag()}, or as batches of records under its
 * {@link Dataset#batchesTag()}, as {@code ProcessTicks} emits them:
 *
 * <pre>{@code
 * raw.apply("ProcessTicks", ProcessTicks.of(...)).apply("WriteLake", WriteLake.to(lake));
 * PCollectionTuple.of(Dataset.BARS_1M.tag(), bars).apply("WriteBars", WriteLake.to(lake));
 * }</pre>
 *
 * <p>Bounded or unbounded input, any runner; windowing, lateness and failure handling are {@link
 * WriteDataset}'s, per dataset (each is re-windowed into {@link LakeConfig#fileWindow()} file
 * windows; records later than {@link LakeConfig#allowedLateness()} behind the watermark are the
 * only ones dropped). Datasets missing from the input are not written, so a backfill can write a
 * subset; collections under other tags (such as {@code ProcessTicks.POSITION_CHANGES}) are not this
 * step's business, but an input with no dataset at all is rejected. The output lists every written
 * file as (partition directory relative to the lake root, full file name), all datasets flattened.
 */
public final class WriteLake extends PTransform<PCollectionTuple, PCollection<KV<String, String>>> {
  private static final long serialVersionUID = 1L;

  private final LakeConfig config;

  private WriteLake(LakeConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Writes to the lake {@code config} describes. */
  public static WriteLake to(LakeConfig config) {
    return new WriteLake(config);
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollectionTuple input) {
    List<PCollection<KV<String, String>>> written = new ArrayList<>();
    for (Dataset<?> dataset : Dataset.all()) {
      if (input.has(dataset.tag()) && input.has(dataset.batchesTag())) {
        throw new IllegalArgumentException(
            "WriteLake input has " + dataset + " both as records and as batches");
      }
      if (input.has(dataset.tag())) {
        written.add(write(input, dataset));
      } else if (input.has(dataset.batchesTag())) {
        written.add(writeBatches(input, dataset));
      }
    }
    if (written.isEmpty()) {
      throw new IllegalArgumentException(
          "WriteLake input holds no dataset: its tags are "
              + input.getAll().keySet().stream().map(TupleTag::getId).sorted().toList()
              + "; tag each dataset with Dataset.X.tag() or Dataset.X.batchesTag()");
    }
    return PCollectionList.of(written).apply("ListWrittenFiles", Flatten.pCollections());
  }

  private <T> PCollection<KV<String, String>> write(PCollectionTuple input, Dataset<T> dataset) {
    return input
        .get(dataset.tag())
        .apply(WriteDataset.stepName(dataset), WriteDataset.of(dataset, config));
  }

  private <T> PCollection<KV<String, String>> writeBatches(
      PCollectionTuple input, Dataset<T> dataset) {
    return input
        .get(dataset.batchesTag())
        .apply(WriteDataset.stepName(dataset), WriteDataset.ofBatches(dataset, config));
  }
}
