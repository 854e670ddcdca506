package io.tickstream.generator;

import io.tickstream.tick.Tick;
import javax.annotation.Nullable;

/** A finite or endless sequence of ticks in event-time order: the simulator or a CSV replay. */
public interface TickSource {
  /** The next tick, or null when the source is exhausted. */
  @Nullable
  Tick next();
}
