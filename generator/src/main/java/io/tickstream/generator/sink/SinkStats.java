package io.tickstream.generator.sink;

import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters of one sink: records acknowledged, retries, and failed attempts. */
public final class SinkStats {
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /** Records the destination has confirmed. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** Records sent again after a transient refusal (throttling, a failed batch entry, ...). */
  public long retries() {
    return retries.get();
  }

  /** Failed attempts the sink saw (each one later retried, or the run failed with its reason). */
  public long errors() {
    return errors.get();
  }

  public void addAcknowledged(long n) {
    acknowledged.addAndGet(n);
  }

  public void addRetries(long n) {
    retries.addAndGet(n);
  }

  public void addErrors(long n) {
    errors.addAndGet(n);
  }
}
