package io.tickstream.pipeline.io;

import io.tickstream.generator.BoundedSource;
import io.tickstream.generator.TickSource;
import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultInjector;
import io.tickstream.generator.market.MarketSimulator;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.time.WallClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The market generator as an unbounded Beam source: {@link MarketSimulator} plus {@link
 * FaultInjector}, read in a fixed number of splits by symbol range.
 *
 * <p><b>Splits.</b> {@link GeneratorSourceConfig#splits()} fixes the split count; {@code
 * desiredNumSplits} is ignored, so the records, faults included, are the same on every runner and
 * parallelism. Split {@code i} of {@code n} simulates the symbols at positions {@code [i*S/n,
 * (i+1)*S/n)} of the {@code S} symbols (the simulator gives a symbol the same ticks alone as in the
 * full set) and runs its own {@link FaultInjector} seeded from (seed, i). Split 0 uses the seed
 * itself, so a one-split source emits byte for byte what {@code tickstream generate} emits with the
 * same arguments. With several splits the ticks are still exactly those of the unsplit generator,
 * but faults are drawn per split.
 *
 * <p><b>Bounds.</b> The duration ends every split at {@code start + duration} of simulated time,
 * the primary bound. A tick count is divided the way the unsplit generator would take it: the first
 * {@code maxTicks} ticks in (round, symbol) order, so each split gets whole rounds of its symbols
 * plus its symbols among the first {@code maxTicks mod S} of the last round.
 *
 * <p><b>Records.</b> {@link RawRecord} with source {@value #SOURCE}, position {@code split=<i>
 * seq=<n>} (n counts the split's records from 0) and the UTF-8 JSON line as payload, timestamped
 * with the event time of the tick it carries, broken records and resends included.
 *
 * <p><b>Watermark.</b> Per split, the latest event time emitted so far minus {@link
 * GeneratorSourceConfig#maxOutOfOrderness()}; with that at least the injected disorder, only ticks
 * held back by the late delay fall behind it. When a split is exhausted its watermark jumps to the
 * end of time, so a bounded generator ends the pipeline.
 *
 * <p><b>Pacing.</b> At a finite speed a record is not handed out before {@code wallStart + (t - t0)
 * / speed}, where {@code t0} and {@code wallStart} are the event time and wall time of the reader's
 * first record; the reader reports no data until then instead of sleeping.
 *
 * <p><b>Checkpoints.</b> A checkpoint is the number of records the split has emitted; a reader
 * restored from it regenerates the split and skips that many, about 0.3 s per million records. The
 * DirectRunner, on purpose, restores a reader from its checkpoint about every 200 records, so a
 * split of n records regenerates about n²/400 there: fine for tests, a third of the speed at 45,000
 * records a split (180,000 in 24 s). Use Flink for long runs.
 */
public final class GeneratorSource extends UnboundedSource<RawRecord, GeneratorSource.Checkpoint> {
  private static final long serialVersionUID = 1L;

  /** {@link RawRecord#source} of every record. */
  public static final String SOURCE = "generator";

  /** Split index of the source before splitting. */
  private static final int WHOLE = -1;

  private final GeneratorSourceConfig config;
  private final int splitIndex;
  private final WallClock clock;

  private GeneratorSource(GeneratorSourceConfig config, int splitIndex, WallClock clock) {
    this.config = config;
    this.splitIndex = splitIndex;
    this.clock = clock;
  }

  /** The whole generator; runners read it through its {@link #split splits}. */
  public static GeneratorSource of(GeneratorSourceConfig config) {
    return of(config, WallClock.SYSTEM);
  }

  /** The whole generator paced by the given wall clock, for tests. */
  static GeneratorSource of(GeneratorSourceConfig config, WallClock clock) {
    return new GeneratorSource(config, WHOLE, clock);
  }

  public GeneratorSourceConfig config() {
    return config;
  }

  /** Which split this is, 0 to {@code splits - 1}; -1 for the source before splitting. */
  public int splitIndex() {
    return splitIndex;
  }

  /** Always the configured splits, whatever the runner asks for. */
  @Override
  public List<GeneratorSource> split(int desiredNumSplits, PipelineOptions options) {
    if (splitIndex != WHOLE) {
      return List.of(this);
    }
    List<GeneratorSource> out = new ArrayList<>(config.splits());
    for (int i = 0; i < config.splits(); i++) {
      out.add(new GeneratorSource(config, i, clock));
    }
    return out;
  }

  @Override
  public UnboundedReader<RawRecord> createReader(
      PipelineOptions options, @Nullable Checkpoint checkpoint) {
    if (splitIndex == WHOLE) {
      if (config.splits() == 1) {
        return split(1, options).get(0).createReader(options, checkpoint);
      }
      throw new IllegalStateException(
          "the generator is read in its "
              + config.splits()
              + " splits; read the sources split() returns");
    }
    return new Reader(this, checkpoint == null ? 0 : checkpoint.emitted());
  }

  @Override
  public Coder<Checkpoint> getCheckpointMarkCoder() {
    return CheckpointCoder.INSTANCE;
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(RawRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("RawRecord has no schema", e);
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("seed", config.simulation().seed()))
        .add(DisplayData.item("symbols", config.simulation().symbols().size()))
        .add(DisplayData.item("splits", config.splits()));
    if (splitIndex != WHOLE) {
      builder.add(DisplayData.item("split", splitIndex));
    }
  }

  /** First symbol position of split {@code i}. */
  static int splitFrom(int symbols, int splits, int i) {
    return (int) ((long) i * symbols / splits);
  }

  /**
   * The ticks split {@code [from, to)} contributes to the first {@code maxTicks} ticks of the
   * unsplit simulator, which ticks every symbol once per round, in symbol order.
   */
  static long tickShare(long maxTicks, int symbols, int from, int to) {
    long rounds = maxTicks / symbols;
    long rest = maxTicks % symbols;
    return rounds * (to - from) + Math.max(0, Math.min(rest - from, to - from));
  }

  /**
   * The fault injector seed of split {@code i}: the seed itself for split 0, else a mix of both.
   */
  static long faultSeed(long seed, int i) {
    if (i == 0) {
      return seed;
    }
    // SplitMix64's finaliser, so neighbouring splits get unrelated streams.
    long z = seed + i * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The records of this split from the start. */
  FaultInjector openRecords() {
    int symbols = config.simulation().symbols().size();
    int from = splitFrom(symbols, config.splits(), splitIndex);
    int to = splitFrom(symbols, config.splits(), splitIndex + 1);
    TickSource ticks =
        new MarketSimulator(
            config.simulation().profiles(),
            from,
            to,
            config.simulation().startMillis(),
            config.simulation().ticksPerMinute(),
            config.simulation().endMillis(),
            config.simulation().seed());
    if (config.simulation().maxTicks() > 0) {
      long share = tickShare(config.simulation().maxTicks(), symbols, from, to);
      // BoundedSource reads a limit of 0 as none; a split with no share must stay empty.
      ticks = share == 0 ? () -> null : new BoundedSource(ticks, share, Duration.ZERO);
    }
    return new FaultInjector(
        ticks, config.simulation().faults(), faultSeed(config.simulation().seed(), splitIndex));
  }

  /** Wall time for pacing, in nanoseconds; replaceable in tests. */
  interface WallClock extends Serializable {
    long nanoTime();

    WallClock SYSTEM = System::nanoTime;
  }

  /** How many records a split has emitted; restoring regenerates the split and skips them. */
  public static final class Checkpoint implements UnboundedSource.CheckpointMark {
    private final long emitted;

    public Checkpoint(long emitted) {
      if (emitted < 0) {
        throw new IllegalArgumentException("emitted must not be negative, got " + emitted);
      }
      this.emitted = emitted;
    }

    /** Records the split emitted before this checkpoint. */
    public long emitted() {
      return emitted;
    }

    /** Nothing to acknowledge: the generator keeps no external state. */
    @Override
    public void finalizeCheckpoint() {}

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Checkpoint && ((Checkpoint) o).emitted == emitted;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(emitted);
    }

    @Override
    public String toString() {
      return "Checkpoint{emitted=" + emitted + "}";
    }
  }

  /** Encodes a {@link Checkpoint} as its count, a variable-length long. */
  static final class CheckpointCoder extends AtomicCoder<Checkpoint> {
    private static final long serialVersionUID = 1L;
    static final CheckpointCoder INSTANCE = new CheckpointCoder();
    private static final VarLongCoder COUNT = VarLongCoder.of();

    @Override
    public void encode(Checkpoint value, OutputStream out) throws IOException {
      COUNT.encode(value.emitted(), out);
    }

    @Override
    public Checkpoint decode(InputStream in) throws IOException {
      return new Checkpoint(COUNT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }

  /** Reads one split; see the class comment for records, watermark and pacing. */
  private static final class Reader extends UnboundedReader<RawRecord> {
    /** Pacing lets a record out this much early, so fast runs do not poll for microseconds. */
    private static final long SLACK_NANOS = 1_000_000;

    private final GeneratorSource source;
    private final FaultInjector records;
    private final String positionPrefix;
    private final double nanosPerEventMilli;
    private final long maxOutOfOrderness;
    private long emitted;
    private long maxEventMillis = Long.MIN_VALUE;
    private boolean exhausted;
    private @Nullable Emission held;
    private @Nullable RawRecord current;
    private long currentMillis;
    private boolean paceStarted;
    private long wallStartNanos;
    private long eventStartMillis;

    Reader(GeneratorSource source, long skip) {
      this.source = source;
      this.records = source.openRecords();
      this.positionPrefix = "split=" + source.splitIndex + " seq=";
      double speed = source.config.simulation().speed();
      this.nanosPerEventMilli = Double.isInfinite(speed) ? 0 : 1_000_000 / speed;
      this.maxOutOfOrderness = source.config.maxOutOfOrderness().toMillis();
      for (long n = 0; n < skip; n++) {
        Emission e = records.next();
        if (e == null) {
          throw new IllegalStateException(
              "checkpoint of split "
                  + source.splitIndex
                  + " says "
                  + skip
                  + " records were emitted, but the split has only "
                  + n);
        }
        maxEventMillis = Math.max(maxEventMillis, e.eventTimeMillis());
      }
      this.emitted = skip;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      current = null;
      if (held == null) {
        if (exhausted) {
          return false;
        }
        held = records.next();
        if (held == null) {
          exhausted = true;
          return false;
        }
      }
      if (!due(held.eventTimeMillis())) {
        return false;
      }
      Emission e = held;
      held = null;
      current =
          RawRecord.create(
              SOURCE, positionPrefix + emitted, e.line().getBytes(StandardCharsets.UTF_8));
      currentMillis = e.eventTimeMillis();
      maxEventMillis = Math.max(maxEventMillis, currentMillis);
      emitted++;
      return true;
    }

    /** Whether a record with this event time may go out now; the first one always may. */
    private boolean due(long eventMillis) {
      if (nanosPerEventMilli == 0) {
        return true;
      }
      if (!paceStarted) {
        paceStarted = true;
        wallStartNanos = source.clock.nanoTime();
        eventStartMillis = eventMillis;
        return true;
      }
      long dueNanos =
          wallStartNanos + (long) ((eventMillis - eventStartMillis) * nanosPerEventMilli);
      return dueNanos - source.clock.nanoTime() <= SLACK_NANOS;
    }

    @Override
    public RawRecord getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return new Instant(currentMillis);
    }

    @Override
    public Instant getWatermark() {
      if (exhausted) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      long min = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
      if (maxEventMillis == Long.MIN_VALUE || maxEventMillis - min < maxOutOfOrderness) {
        return BoundedWindow.TIMESTAMP_MIN_VALUE;
      }
      return new Instant(maxEventMillis - maxOutOfOrderness);
    }

    @Override
    public Checkpoint getCheckpointMark() {
      return new Checkpoint(emitted);
    }

    @Override
    public GeneratorSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
