package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.metrics.BundleCounter;
import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.DeadLetter;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.model.TickCoder;
import io.tickstream.pipeline.time.WallClock;
import io.tickstream.tick.InvalidTickException;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickErrorCode;
import io.tickstream.tick.TickParser;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Parses raw records into ticks against the tick contract; every record that fails becomes a {@link
 * DeadLetter} with its payload, position, error code and message.
 *
 * <p>Bounded or unbounded input, any windowing. Valid ticks are re-stamped with their own event
 * time ({@link #TICKS}); dead letters keep the raw record's timestamp ({@link #DEAD_LETTERS}).
 * Nothing is dropped: {@code ticks_in == ticks_valid + dead_letters} holds for every run. A dead
 * letter's {@code received_at} and the {@code event_time_lag_ms} metric read the {@link WallClock}
 * given ({@link #withClock}), so tests can assert whole rows.
 */
public final class ParseTicks extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  public static final TupleTag<Tick> TICKS = new TupleTag<Tick>() {};

  /** The rejected records: the {@code dead_letter} dataset, under its own tag. */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = Dataset.DEAD_LETTER.tag();

  /** The step name stored in the dead letters this transform writes. */
  public static final String STEP = "ParseTicks";

  private final WallClock clock;

  private ParseTicks(WallClock clock) {
    this.clock = clock;
  }

  /** Parses on the system clock. */
  public static ParseTicks create() {
    return new ParseTicks(WallClock.SYSTEM);
  }

  /** The same parse, with received times and lags read from {@code clock}. */
  public ParseTicks withClock(WallClock clock) {
    return new ParseTicks(clock);
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> input) {
    PCollectionTuple out =
        input.apply(
            "Parse",
            ParDo.of(new ParseFn(clock)).withOutputTags(TICKS, TupleTagList.of(DEAD_LETTERS)));
    out.get(TICKS).setCoder(TickCoder.of());
    return out;
  }

  /** Parses one record; never throws for bad data. */
  static final class ParseFn extends DoFn<RawRecord, Tick> {
    private final WallClock clock;
    private final BundleCounter ticksIn = BundleCounter.of(PipelineMetrics.TICKS_IN);
    private final BundleCounter valid = BundleCounter.of(PipelineMetrics.TICKS_VALID);
    private final Counter dead = PipelineMetrics.counter(PipelineMetrics.DEAD_LETTERS);
    private final Distribution lag =
        PipelineMetrics.distribution(PipelineMetrics.EVENT_TIME_LAG_MS);
    private transient Map<TickErrorCode, Counter> byReason;

    /**
     * This bundle's lag figures, added to the metric when it finishes, as the counters are: a
     * metric update looks its container up through a thread local.
     */
    private transient long lagCount;

    private transient long lagSum;
    private transient long lagMin;
    private transient long lagMax;

    ParseFn(WallClock clock) {
      this.clock = clock;
    }

    @Setup
    public void setup() {
      byReason = new EnumMap<>(TickErrorCode.class);
      for (TickErrorCode c : TickErrorCode.values()) {
        byReason.put(c, PipelineMetrics.counter(PipelineMetrics.DEAD_LETTER_PREFIX + c.name()));
      }
    }

    @StartBundle
    public void startBundle() {
      lagCount = 0;
      lagSum = 0;
      lagMin = Long.MAX_VALUE;
      lagMax = Long.MIN_VALUE;
    }

    @ProcessElement
    public void process(
        @Element RawRecord record, @Timestamp Instant timestamp, MultiOutputReceiver out) {
      ticksIn.add(1);
      try {
        Tick tick = TickParser.parse(record.getPayload());
        valid.add(1);
        long lagMillis = clock.now().getMillis() - tick.timestampMillis();
        lagCount++;
        lagSum += lagMillis;
        lagMin = Math.min(lagMin, lagMillis);
        lagMax = Math.max(lagMax, lagMillis);
        out.get(TICKS).outputWithTimestamp(tick, tick.getTimestamp());
      } catch (InvalidTickException e) {
        dead.inc();
        byReason.get(e.code()).inc();
        out.get(DEAD_LETTERS)
            .output(deadLetter(record, clock.now(), timestamp, e.code().name(), e.getMessage()));
      }
    }

    @FinishBundle
    public void finishBundle() {
      ticksIn.flush();
      valid.flush();
      if (lagCount > 0) {
        lag.update(lagSum, lagCount, lagMin, lagMax);
      }
    }

    /**
     * Ticks are re-stamped from the source's timestamp to their own event time, earlier or later.
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** A dead letter for a raw record, its payload kept as text or, if not UTF-8, base64. */
  static DeadLetter deadLetter(
      RawRecord record, Instant receivedAt, Instant eventTime, String code, String message) {
    String text = TickParser.decodeUtf8(record.getPayload());
    String payload = text != null ? text : Base64.getEncoder().encodeToString(record.getPayload());
    String encoding = text != null ? "utf8" : "base64";
    return DeadLetter.create(
        receivedAt,
        eventTime,
        record.getSource(),
        record.getPosition(),
        payload,
        encoding,
        code,
        message,
        STEP);
  }
}
