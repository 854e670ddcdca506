package io.tickstream.pipeline.transforms;

import io.tickstream.tick.Tick;
import java.util.ArrayList;
import java.util.List;

/** Ticks gathered for one key so far, in arrival order, and the earliest of their timestamps. */
final class TickBatch {
  final List<Tick> ticks = new ArrayList<>();
  long earliest = Long.MAX_VALUE;

  void add(Tick tick) {
    ticks.add(tick);
    earliest = Math.min(earliest, tick.timestampMillis());
  }
}
