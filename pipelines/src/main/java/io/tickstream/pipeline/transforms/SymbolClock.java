package io.tickstream.pipeline.transforms;

import io.tickstream.pipeline.state.Numbering;
import io.tickstream.pipeline.state.Numbering.NumberingCoder;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.pipeline.state.StateTtl.Expiry.ExpiryCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One symbol's event-time bookkeeping in {@link ComputeBars}, kept as one state value so that a
 * tick reads and writes it once: the clock behind which ticks are late, the open minutes, the bars'
 * numbering, the symbol's last activity, and when each timer is set for. Mutable.
 */
final class SymbolClock {
  /** No clock yet, or no timer set. */
  static final long NONE = Long.MIN_VALUE;

  /** Ticks before this event time are late; {@link #NONE} before the first tick. */
  long clock = NONE;

  /** The numbers of the bars emitted, and when the last went out. */
  Numbering numbering = new Numbering();

  /** When the symbol's last tick was, and when its expiry timer is set for. */
  StateTtl.Expiry expiry = new StateTtl.Expiry();

  /** When the flush timer is set for (the end of the earliest open minute), or {@link #NONE}. */
  long flushAt = NONE;

  /** When the dedup sweep timer is set for, or {@link #NONE}. */
  long sweepAt = NONE;

  /** The oldest id bucket not yet forgotten, or {@link #NONE} before the first tick. */
  long sweptBelow = NONE;

  /** The newest id bucket holding ids, or {@link #NONE}. */
  long newestBucket = NONE;

  /** Open minutes by start millis: at most max out-of-orderness / 1 min + 1 of them. */
  final TreeMap<Long, BarAccumulator> open = new TreeMap<>();

  /** Encodes the bookkeeping and its open minutes, for state backends that serialize. */
  static final class Coder extends CustomCoder<SymbolClock> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SymbolClock s, OutputStream out) throws IOException {
      LONG.encode(s.clock, out);
      NumberingCoder.of().encode(s.numbering, out);
      ExpiryCoder.of().encode(s.expiry, out);
      LONG.encode(s.flushAt, out);
      LONG.encode(s.sweepAt, out);
      LONG.encode(s.sweptBelow, out);
      LONG.encode(s.newestBucket, out);
      INT.encode(s.open.size(), out);
      for (Map.Entry<Long, BarAccumulator> e : s.open.entrySet()) {
        BarAccumulator.Coder.of().encode(e.getValue(), out);
      }
    }

    @Override
    public SymbolClock decode(InputStream in) throws IOException {
      SymbolClock s = new SymbolClock();
      s.clock = LONG.decode(in);
      s.numbering = NumberingCoder.of().decode(in);
      s.expiry = ExpiryCoder.of().decode(in);
      s.flushAt = LONG.decode(in);
      s.sweepAt = LONG.decode(in);
      s.sweptBelow = LONG.decode(in);
      s.newestBucket = LONG.decode(in);
      int open = INT.decode(in);
      for (int i = 0; i < open; i++) {
        BarAccumulator acc = BarAccumulator.Coder.of().decode(in);
        s.open.put(acc.windowStartMillis, acc);
      }
      return s;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
