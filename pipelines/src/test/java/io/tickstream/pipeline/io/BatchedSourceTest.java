package io.tickstream.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.pipeline.model.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Reads {@link BatchedSource} over generator splits against the same splits read one by one. */
class BatchedSourceTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  /** 4 symbols, 3 simulated minutes at 60 ticks a minute, faults on (late records included). */
  private static final GeneratorSourceConfig CONFIG =
      GeneratorSourceConfig.of(
              Simulations.fast(5, 4)
                  .setDuration(Duration.ofMinutes(3))
                  .setFaults(
                      new FaultConfig(
                          0.05, 0.03, Duration.ofSeconds(2), 0.02, Duration.ofMinutes(1)))
                  .build())
          .withMaxOutOfOrderness(Duration.ofSeconds(2))
          .withSplits(2);

  @Test
  void batchesHoldTheRecordsInOrderAtTheirTimesStampedWithTheEarliest() throws Exception {
    List<BatchedSource<RawRecord, GeneratorSource.Checkpoint>> splits =
        BatchedSource.of(GeneratorSource.of(CONFIG), 50).split(1, OPTIONS);
    assertEquals(2, splits.size());
    for (BatchedSource<RawRecord, GeneratorSource.Checkpoint> split : splits) {
      List<TimestampedValue<RawRecord>> expected = readOneByOne(split.source());
      List<TimestampedValue<RawRecord>> actual = new ArrayList<>();
      UnboundedReader<List<TimestampedValue<RawRecord>>> reader = split.createReader(OPTIONS, null);
      int batches = 0;
      for (boolean more = reader.start(); more; more = reader.advance()) {
        List<TimestampedValue<RawRecord>> batch = reader.getCurrent();
        assertTrue(batch.size() >= 1 && batch.size() <= 50, "batch of " + batch.size());
        long earliest =
            batch.stream().mapToLong(r -> r.getTimestamp().getMillis()).min().orElseThrow();
        assertEquals(earliest, reader.getCurrentTimestamp().getMillis());
        actual.addAll(batch);
        batches++;
      }
      assertEquals(expected, actual);
      assertEquals((expected.size() + 49) / 50, batches, "full batches at infinite speed");
      assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
    }
  }

  @Test
  void aCheckpointBetweenBatchesResumesWithTheNextRecord() throws Exception {
    BatchedSource<RawRecord, GeneratorSource.Checkpoint> split =
        BatchedSource.of(GeneratorSource.of(CONFIG), 30).split(1, OPTIONS).get(1);
    List<TimestampedValue<RawRecord>> expected = readOneByOne(split.source());
    UnboundedReader<List<TimestampedValue<RawRecord>>> reader = split.createReader(OPTIONS, null);
    List<TimestampedValue<RawRecord>> actual = new ArrayList<>();
    assertTrue(reader.start());
    actual.addAll(reader.getCurrent());
    assertTrue(reader.advance());
    actual.addAll(reader.getCurrent());
    Instant watermark = reader.getWatermark();
    GeneratorSource.Checkpoint mark =
        CoderUtils.clone(
            split.getCheckpointMarkCoder(),
            (GeneratorSource.Checkpoint) reader.getCheckpointMark());
    assertEquals(60, mark.emitted(), "the mark covers both batches");

    UnboundedReader<List<TimestampedValue<RawRecord>>> resumed = split.createReader(OPTIONS, mark);
    assertEquals(watermark, resumed.getWatermark(), "the watermark is restored with the split");
    for (boolean more = resumed.start(); more; more = resumed.advance()) {
      actual.addAll(resumed.getCurrent());
    }
    assertEquals(expected, actual);
  }

  @Test
  void aBatchHoldsOnlyWhatThePacedSourceHasReady() throws Exception {
    long[] nanos = {1_000_000_000L};
    // One symbol ticking every simulated second, at 60x: a record every 1/60 s of wall time.
    GeneratorSourceConfig paced =
        GeneratorSourceConfig.of(Simulations.fast(7, 1).setSpeed(60).setMaxTicks(5).build());
    GeneratorSource source = GeneratorSource.of(paced, () -> nanos[0]);
    UnboundedReader<List<TimestampedValue<RawRecord>>> reader =
        BatchedSource.of(source, 100).split(1, OPTIONS).get(0).createReader(OPTIONS, null);
    assertTrue(reader.start(), "the first record is due at once");
    assertEquals(1, reader.getCurrent().size());
    assertFalse(reader.advance(), "nothing else is due yet");
    nanos[0] += 40_000_000; // 40 ms: the records due at 16.7 and 33.3 ms, not the one at 50
    assertTrue(reader.advance());
    assertEquals(2, reader.getCurrent().size());
    nanos[0] += 1_000_000_000;
    assertTrue(reader.advance());
    assertEquals(2, reader.getCurrent().size(), "the rest");
    assertFalse(reader.advance(), "exhausted");
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  private static List<TimestampedValue<RawRecord>> readOneByOne(
      UnboundedSource<RawRecord, GeneratorSource.Checkpoint> split) throws Exception {
    List<TimestampedValue<RawRecord>> out = new ArrayList<>();
    UnboundedReader<RawRecord> reader = split.createReader(OPTIONS, null);
    for (boolean more = reader.start(); more; more = reader.advance()) {
      out.add(TimestampedValue.of(reader.getCurrent(), reader.getCurrentTimestamp()));
    }
    return out;
  }
}
