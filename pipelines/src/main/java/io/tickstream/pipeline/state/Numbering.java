package io.tickstream.pipeline.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A producer's side of {@link Sequenced}: the next number of one key's elements, and when the last
 * one was emitted (event time). Mutable; kept in the producer's state.
 *
 * <p>An element starts a new generation when the producer has numbered nothing yet (its state is
 * new, or was cleared) or when it comes a state TTL or more after the previous element: the
 * consumer may have forgotten the key by then ({@link StateTtl}), and if it has not, the flag makes
 * it start afresh, so the result does not depend on when a runner fires the consumer's timer. The
 * first number of a generation is derived from event time by the caller and is larger than every
 * number before it.
 */
public final class Numbering {
  /** No element numbered yet. */
  static final long NONE = Long.MIN_VALUE;

  private long nextSeq = NONE;
  private long lastEmitMillis = NONE;

  /**
   * Numbers an element emitted at {@code emitMillis}.
   *
   * @param startSeq the number a new generation starts at: event-time derived, so that it exceeds
   *     the numbers of every earlier generation
   * @param ttlMillis the consumer's state TTL
   */
  public <T> Sequenced<T> number(T value, long emitMillis, long startSeq, long ttlMillis) {
    boolean starts = nextSeq == NONE || emitMillis - lastEmitMillis >= ttlMillis;
    long seq = starts ? Math.max(startSeq, nextSeq) : nextSeq;
    nextSeq = seq + 1;
    lastEmitMillis = Math.max(lastEmitMillis, emitMillis);
    return Sequenced.of(seq, starts, value);
  }

  /** Encodes the next number and the last emission time. */
  public static final class NumberingCoder extends CustomCoder<Numbering> {
    private static final long serialVersionUID = 1L;
    private static final NumberingCoder INSTANCE = new NumberingCoder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static NumberingCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Numbering n, OutputStream out) throws IOException {
      LONG.encode(n.nextSeq, out);
      LONG.encode(n.lastEmitMillis, out);
    }

    @Override
    public Numbering decode(InputStream in) throws IOException {
      Numbering n = new Numbering();
      n.nextSeq = LONG.decode(in);
      n.lastEmitMillis = LONG.decode(in);
      return n;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
