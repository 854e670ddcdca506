package io.tickstream.pipeline.io;

import io.tickstream.pipeline.model.RawRecord;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads the simulated market as an unbounded {@code PCollection<RawRecord>} stamped with event
 * time, watermark per split at latest event time minus the max out-of-orderness (end of time once a
 * bounded split is done), with broken records emitted as payloads for the parser's dead letters.
 */
public final class ReadGenerator extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

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
    return input.apply("ReadSplits", Read.from(GeneratorSource.of(config)));
  }
}
