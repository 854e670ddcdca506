package io.tickstream.pipeline.transforms;

import io.tickstream.tick.Tick;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.Deduplicate;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Drops resends of a tick: the second and later ticks with the same {@code event_id} within the
 * dedup window of event time ({@link Deduplicate} in the event-time domain, whose per-id state
 * expires after the window).
 *
 * <p>Bounded or unbounded input of ticks stamped with their event time; output keeps timestamps.
 * Sources are at-least-once, so this is what makes the lake exactly-once per event id. The number
 * dropped is {@code ticks_valid - ticks_unique}.
 */
public final class DeduplicateTicks extends PTransform<PCollection<Tick>, PCollection<Tick>> {
  private final Duration window;

  private DeduplicateTicks(Duration window) {
    this.window = window;
  }

  public static DeduplicateTicks within(Duration window) {
    return new DeduplicateTicks(window);
  }

  @Override
  public PCollection<Tick> expand(PCollection<Tick> ticks) {
    return ticks
        .apply(
            "ByEventId",
            Deduplicate.<Tick, String>withRepresentativeValueFn(t -> t.eventId)
                .withRepresentativeType(TypeDescriptors.strings())
                .withTimeDomain(TimeDomain.EVENT_TIME)
                .withDuration(window))
        .apply(
            "CountUnique",
            MapElements.into(TypeDescriptor.of(Tick.class))
                .via(
                    t -> {
                      UniqueCounter.COUNTER.inc();
                      return t;
                    }))
        .setCoder(ticks.getCoder());
  }

  /** Holds the counter outside the lambda so the lambda stays serializable. */
  private static final class UniqueCounter {
    static final org.apache.beam.sdk.metrics.Counter COUNTER =
        PipelineMetrics.counter(PipelineMetrics.TICKS_UNIQUE);
  }
}
