package io.tickstream.pipeline.io;

import io.tickstream.pipeline.metrics.BundleCounter;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.RawRecord;
import java.util.List;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * Reads the simulated market as an unbounded {@code PCollection<RawRecord>} stamped with event
 * time, watermark per split at latest event time minus the max out-of-orderness (end of time once a
 * bounded split is done), with broken records emitted as payloads for the parser's dead letters.
 */
public final class ReadGenerator extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  /** Records a source element carries at most; see {@link BatchedSource}. */
  static final int MAX_BATCH = 256;

  private final GeneratorSourceConfig config;

  private ReadGenerator(GeneratorSourceConfig config) {
    this.config = config;
  }

  /** Reads the generator described by {@code config}; see {@link GeneratorSource}. */
  public static ReadGenerator from(GeneratorSourceConfig config) {
    return new ReadGenerator(config);
  }

  public GeneratorSourceConfig config() {
    return config;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    GeneratorSource source = GeneratorSource.of(config);
    return input
        .apply("ReadSplits", Read.from(BatchedSource.of(source, MAX_BATCH)))
        .apply("EachAtItsTimestamp", ParDo.of(new EachAtItsTimestamp<RawRecord>()))
        .setCoder(source.getOutputCoder());
  }

  /**
   * Emits every record of a batch at its own timestamp, none earlier than the batch's (its
   * earliest).
   */
  private static final class EachAtItsTimestamp<T> extends DoFn<List<TimestampedValue<T>>, T> {
    private static final long serialVersionUID = 1L;
    private final BundleCounter read = BundleCounter.of(PipelineMetrics.RECORDS_READ);

    @ProcessElement
    public void process(@Element List<TimestampedValue<T>> batch, OutputReceiver<T> out) {
      read.add(batch.size());
      for (TimestampedValue<T> record : batch) {
        out.outputWithTimestamp(record.getValue(), record.getTimestamp());
      }
    }

    @FinishBundle
    public void finishBundle() {
      read.flush();
    }
  }
}
