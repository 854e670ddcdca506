package io.tickstream.generator.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the fault injector emitted, by kind; written by one thread, readable from any. */
public final class FaultCounts {
  private static final int TICKS = 0;
  private static final int RECORDS = 1;
  private static final int DUPLICATES = 2;
  private static final int DISORDERED = 3;
  private static final int LATE = 4;
  private static final int BAD_BASE = 5;

  private final AtomicLongArray counts =
      new AtomicLongArray(BAD_BASE + BadRecordKind.values().length);

  void countTick() {
    counts.incrementAndGet(TICKS);
  }

  void countRecord(Emission e, boolean disordered) {
    counts.incrementAndGet(RECORDS);
    if (e.duplicate()) {
      counts.incrementAndGet(DUPLICATES);
    }
    if (disordered) {
      counts.incrementAndGet(DISORDERED);
    }
    if (e.late() && !e.duplicate()) {
      counts.incrementAndGet(LATE);
    }
    if (e.badKind() != null && !e.duplicate()) {
      counts.incrementAndGet(BAD_BASE + e.badKind().ordinal());
    }
  }

  /** Ticks taken from the source. */
  public long ticks() {
    return counts.get(TICKS);
  }

  /** Records emitted: ticks (valid or broken) plus duplicates. */
  public long records() {
    return counts.get(RECORDS);
  }

  /** Resent records. */
  public long duplicates() {
    return counts.get(DUPLICATES);
  }

  /** Records emitted after a record with a later event time. */
  public long disordered() {
    return counts.get(DISORDERED);
  }

  /** Ticks held back by the late delay. */
  public long late() {
    return counts.get(LATE);
  }

  /** Broken records of one kind (resends not counted again). */
  public long bad(BadRecordKind kind) {
    return counts.get(BAD_BASE + kind.ordinal());
  }

  /** Broken records of all kinds. */
  public long bad() {
    long sum = 0;
    for (BadRecordKind k : BadRecordKind.values()) {
      sum += bad(k);
    }
    return sum;
  }

  /** Broken records by kind, only the kinds that occurred. */
  public Map<BadRecordKind, Long> badByKind() {
    Map<BadRecordKind, Long> out = new EnumMap<>(BadRecordKind.class);
    for (BadRecordKind k : BadRecordKind.values()) {
      if (bad(k) > 0) {
        out.put(k, bad(k));
      }
    }
    return out;
  }
}
