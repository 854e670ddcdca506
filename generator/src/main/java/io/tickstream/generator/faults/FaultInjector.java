package io.tickstream.generator.faults;

import io.tickstream.generator.TickSource;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import javax.annotation.Nullable;

/**
 * Turns a tick source into the records a producer sends, breaking some on purpose.
 *
 * <p>Disorder and lateness share one mechanism: each tick gets a release time, its event time plus
 * a uniform delay up to {@code maxDisorder}, or plus {@code lateBy} for a late tick, and a tick is
 * emitted once the source has reached its release time. So no record is emitted more than its delay
 * behind a record with a later event time. A broken record replaces its tick (same event id), in
 * one of the {@link BadRecordKind}s chosen evenly; a duplicate is an unchanged resend of one of the
 * last few records emitted. All choices come from a random stream seeded by the run's seed.
 */
public final class FaultInjector {
  private static final int RECENT = 16;
  private static final long SEED_SALT = 0x5DEECE66DL;

  private final TickSource source;
  private final FaultConfig config;
  private final SplittableRandom random;
  private final FaultCounts counts = new FaultCounts();
  private final PriorityQueue<Pending> pending = new PriorityQueue<>();
  private final ArrayDeque<Emission> ready = new ArrayDeque<>();
  private final ArrayDeque<Emission> recent = new ArrayDeque<>(RECENT);
  private final StringBuilder buffer = new StringBuilder(256);
  private long sequence;
  private long maxEmittedEventTime = Long.MIN_VALUE;
  private boolean sourceDone;

  public FaultInjector(TickSource source, FaultConfig config, long seed) {
    this.source = source;
    this.config = config;
    this.random = new SplittableRandom(seed ^ SEED_SALT);
  }

  /** Counters of what has been emitted so far. */
  public FaultCounts counts() {
    return counts;
  }

  /** The next record to send, or null when the source is exhausted and everything is emitted. */
  public @Nullable Emission next() {
    while (ready.isEmpty()) {
      if (sourceDone) {
        Pending p = pending.poll();
        if (p == null) {
          return null;
        }
        emit(p);
        continue;
      }
      Tick tick = source.next();
      if (tick == null) {
        sourceDone = true;
        continue;
      }
      counts.countTick();
      long now = tick.timestampMillis();
      Pending p = schedule(tick);
      if (p.releaseMillis <= now && pending.isEmpty()) {
        emit(p); // fast path: nothing held back
      } else {
        pending.add(p);
        while (!pending.isEmpty() && pending.peek().releaseMillis <= now) {
          emit(pending.poll());
        }
      }
    }
    return ready.poll();
  }

  private Pending schedule(Tick tick) {
    long eventTime = tick.timestampMillis();
    boolean late = config.lateRate() > 0 && random.nextDouble() < config.lateRate();
    long delay;
    if (late) {
      delay = config.lateBy().toMillis();
    } else if (!config.maxDisorder().isZero()) {
      delay = random.nextLong(config.maxDisorder().toMillis() + 1);
    } else {
      delay = 0;
    }
    BadRecordKind bad = null;
    if (config.badRate() > 0 && random.nextDouble() < config.badRate()) {
      bad = BadRecordKind.values()[random.nextInt(BadRecordKind.values().length)];
    }
    return new Pending(tick, eventTime + delay, sequence++, late, bad);
  }

  private void emit(Pending p) {
    buffer.setLength(0);
    String line =
        p.bad == null ? TickJson.append(buffer, p.tick).toString() : broken(p.tick, p.bad);
    Emission e =
        new Emission(
            p.tick.getSymbol(),
            p.tick.timestampMillis(),
            line,
            p.tick.getEventId(),
            p.bad,
            false,
            p.late);
    add(e);
    if (config.dupRate() > 0 && random.nextDouble() < config.dupRate()) {
      Emission original = pickRecent();
      add(
          new Emission(
              original.key(),
              original.eventTimeMillis(),
              original.line(),
              original.eventId(),
              original.badKind(),
              true,
              original.late()));
    }
    if (recent.size() == RECENT) {
      recent.removeFirst();
    }
    recent.addLast(e);
  }

  private Emission pickRecent() {
    int skip = random.nextInt(recent.size() + 1);
    if (skip == recent.size()) {
      return ready.peekLast();
    }
    int i = 0;
    for (Emission r : recent) {
      if (i++ == skip) {
        return r;
      }
    }
    throw new AssertionError();
  }

  private void add(Emission e) {
    boolean disordered = e.eventTimeMillis() < maxEmittedEventTime;
    maxEmittedEventTime = Math.max(maxEmittedEventTime, e.eventTimeMillis());
    counts.countRecord(e, disordered);
    ready.add(e);
  }

  /** The tick's JSON broken in the given way. */
  static String broken(Tick t, BadRecordKind kind) {
    String json = TickJson.toJson(t);
    switch (kind) {
      case MALFORMED_JSON:
        return json.substring(0, json.length() / 2);
      case MISSING_FIELD:
        return replaceValue(json, "price", null);
      case WRONG_TYPE:
        return replaceValue(json, "price", "\"" + t.getPrice() + "\"");
      case NEGATIVE_PRICE:
        return replaceValue(json, "price", String.valueOf(-t.getPrice()));
      case NAN_PRICE:
        return replaceValue(json, "price", "NaN");
      case BAD_TIMESTAMP:
        return replaceValue(json, "timestamp", "\"" + dayFirst(t.timestampMillis()) + "\"");
      default:
        throw new AssertionError(kind);
    }
  }

  /** Replaces the value of a top-level scalar field, or removes the field when value is null. */
  private static String replaceValue(String json, String field, @Nullable String value) {
    String key = "\"" + field + "\":";
    int start = json.indexOf(key);
    int valueStart = start + key.length();
    int end = valueStart;
    boolean inString = false;
    while (end < json.length()) {
      char c = json.charAt(end);
      if (c == '"') {
        inString = !inString;
      } else if (!inString && (c == ',' || c == '}')) {
        break;
      }
      end++;
    }
    if (value != null) {
      return json.substring(0, valueStart) + value + json.substring(end);
    }
    // Remove `"field":value` together with one neighbouring comma.
    if (json.charAt(end) == ',') {
      return json.substring(0, start) + json.substring(end + 1);
    }
    return json.substring(0, start - 1) + json.substring(end);
  }

  private static String dayFirst(long millis) {
    String iso = io.tickstream.tick.TickTimestamps.formatIso(millis);
    // 2025-06-29T14:36:16.123Z -> 29/06/2025 14:36
    return iso.substring(8, 10)
        + "/"
        + iso.substring(5, 7)
        + "/"
        + iso.substring(0, 4)
        + " "
        + iso.substring(11, 16);
  }

  /** A tick waiting for its release time; ties keep the source order. */
  private static final class Pending implements Comparable<Pending> {
    final Tick tick;
    final long releaseMillis;
    final long sequence;
    final boolean late;
    final @Nullable BadRecordKind bad;

    Pending(
        Tick tick, long releaseMillis, long sequence, boolean late, @Nullable BadRecordKind bad) {
      this.tick = tick;
      this.releaseMillis = releaseMillis;
      this.sequence = sequence;
      this.late = late;
      this.bad = bad;
    }

    @Override
    public int compareTo(Pending o) {
      int c = Long.compare(releaseMillis, o.releaseMillis);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}
