package io.tickstream.pipeline.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One of a key's elements, numbered in the order its producer made them, so that the next stateful
 * step can restore that order ({@link InOrderBuffer}) whatever the runner does in between.
 *
 * <p>Numbers run on by one within a <em>generation</em>; the first element of a generation says so,
 * and its number is derived from event time, larger than any number before it. A producer starts a
 * generation when it starts afresh (its state was new or expired) or when a consumer's state may
 * have expired since its last element ({@link Numbering}); the consumer then starts afresh too.
 * Immutable.
 */
public final class Sequenced<T> {
  private final long seq;
  private final boolean startsGeneration;
  private final T value;

  private Sequenced(long seq, boolean startsGeneration, T value) {
    this.seq = seq;
    this.startsGeneration = startsGeneration;
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Element {@code seq} of its generation; the first when {@code startsGeneration}. */
  public static <T> Sequenced<T> of(long seq, boolean startsGeneration, T value) {
    return new Sequenced<>(seq, startsGeneration, value);
  }

  public long seq() {
    return seq;
  }

  public boolean startsGeneration() {
    return startsGeneration;
  }

  public T value() {
    return value;
  }

  /** The same position in the sequence, holding {@code other} instead. */
  public <U> Sequenced<U> with(U other) {
    return new Sequenced<>(seq, startsGeneration, other);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Sequenced)) {
      return false;
    }
    Sequenced<?> s = (Sequenced<?>) o;
    return seq == s.seq && startsGeneration == s.startsGeneration && value.equals(s.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seq, startsGeneration, value);
  }

  @Override
  public String toString() {
    return "#" + seq + (startsGeneration ? "(new generation)" : "") + " " + value;
  }

  /** Encodes the number, the generation flag and the value, deterministically if the value is. */
  public static final class SequencedCoder<T> extends StructuredCoder<Sequenced<T>> {
    private static final long serialVersionUID = 1L;
    private static final VarLongCoder SEQ = VarLongCoder.of();
    private static final BooleanCoder FLAG = BooleanCoder.of();
    private final Coder<T> valueCoder;

    private SequencedCoder(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    public static <T> SequencedCoder<T> of(Coder<T> valueCoder) {
      return new SequencedCoder<>(valueCoder);
    }

    public Coder<T> getValueCoder() {
      return valueCoder;
    }

    @Override
    public void encode(Sequenced<T> s, OutputStream out) throws IOException {
      SEQ.encode(s.seq, out);
      FLAG.encode(s.startsGeneration, out);
      valueCoder.encode(s.value, out);
    }

    @Override
    public Sequenced<T> decode(InputStream in) throws IOException {
      long seq = SEQ.decode(in);
      boolean starts = FLAG.decode(in);
      return new Sequenced<>(seq, starts, valueCoder.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "the value coder must be deterministic", valueCoder);
    }
  }
}
