package io.tickstream.pipeline.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.Duration;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.ValueState;
import org.joda.time.Instant;

/**
 * The rule that clears a key's state: once a key has seen nothing for the TTL of event time, its
 * expiry timer finds it silent, and the DoFn clears every state cell and timer of it. The timer is
 * set once and moved on when it fires early (lazily), so activity costs no timer write.
 */
public final class StateTtl implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long NONE = Long.MIN_VALUE;

  private final long ttlMillis;

  private StateTtl(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  /** Clears a key {@code ttl} of event time after its last activity; positive. */
  public static StateTtl of(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the state TTL must be positive, got " + ttl);
    }
    return new StateTtl(ttl.toMillis());
  }

  public long millis() {
    return ttlMillis;
  }

  /**
   * Notes activity at {@code millis} and sets the expiry timer if none is set.
   *
   * @return whether {@code expiry} changed, so the caller writes it back
   */
  public boolean touch(Expiry expiry, long millis, Timer timer) {
    boolean changed = false;
    if (millis > expiry.lastMillis) {
      expiry.lastMillis = millis;
      changed = true;
    }
    if (expiry.timerAt == NONE) {
      expiry.timerAt = expiry.lastMillis + ttlMillis;
      timer.set(new Instant(expiry.timerAt));
      changed = true;
    }
    return changed;
  }

  /**
   * When the expiry timer fires at {@code fireMillis}: true if the key has been silent for the TTL
   * (clear its state, {@code expiry} included); else the timer is moved on to the TTL after the
   * last activity, and {@code expiry} must be written back.
   */
  public boolean expired(Expiry expiry, long fireMillis, Timer timer) {
    if (expiry.lastMillis == NONE || expiry.lastMillis + ttlMillis <= fireMillis) {
      return true;
    }
    expiry.timerAt = expiry.lastMillis + ttlMillis;
    timer.set(new Instant(expiry.timerAt));
    return false;
  }

  /**
   * {@link #expired(Expiry, long, Timer)} for an expiry kept in a state cell of its own: reads it
   * and, when the key is still active, writes it back.
   */
  public boolean expired(ValueState<Expiry> expiryState, long fireMillis, Timer timer) {
    Expiry expiry = expiryState.read();
    if (expiry == null || expired(expiry, fireMillis, timer)) {
      return true;
    }
    expiryState.write(expiry);
    return false;
  }

  /** When a key was last active and when its expiry timer is set for. Mutable. */
  public static final class Expiry {
    long lastMillis = NONE;
    long timerAt = NONE;

    /** Encodes both times. */
    public static final class ExpiryCoder extends CustomCoder<Expiry> {
      private static final long serialVersionUID = 1L;
      private static final ExpiryCoder INSTANCE = new ExpiryCoder();
      private static final VarLongCoder LONG = VarLongCoder.of();

      public static ExpiryCoder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Expiry e, OutputStream out) throws IOException {
        LONG.encode(e.lastMillis, out);
        LONG.encode(e.timerAt, out);
      }

      @Override
      public Expiry decode(InputStream in) throws IOException {
        Expiry e = new Expiry();
        e.lastMillis = LONG.decode(in);
        e.timerAt = LONG.decode(in);
        return e;
      }

      @Override
      public void verifyDeterministic() {}
    }
  }
}
