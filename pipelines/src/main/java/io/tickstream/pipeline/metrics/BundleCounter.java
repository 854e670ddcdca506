package io.tickstream.pipeline.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;

/**
 * A tickstream counter that a DoFn adds to per element and hands to Beam once per bundle ({@link
 * #flush} in {@code @FinishBundle}): each Beam metric update looks its container up through a
 * thread local, which per record cost more than the count itself. Not thread-safe, as a DoFn
 * instance is not.
 */
public final class BundleCounter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Counter counter;
  private transient long pending;

  private BundleCounter(String name) {
    this.counter = PipelineMetrics.counter(name);
  }

  /** The counter {@code name} in namespace {@value PipelineMetrics#NAMESPACE}. */
  public static BundleCounter of(String name) {
    return new BundleCounter(name);
  }

  public void add(long n) {
    pending += n;
  }

  /** Adds what the bundle counted to the metric; call from {@code @FinishBundle}. */
  public void flush() {
    if (pending != 0) {
      counter.inc(pending);
      pending = 0;
    }
  }
}
