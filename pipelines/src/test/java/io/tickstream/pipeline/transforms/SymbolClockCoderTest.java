package io.tickstream.pipeline.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickstream.pipeline.model.Bar;
import io.tickstream.tick.Tick;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SymbolClockCoderTest {
  private static Tick tick(String id, long millis, double price, long volume) {
    return Tick.create(id, "ABC", price, volume, new Instant(millis), null, null);
  }

  @Test
  void aDecodedClockGivesTheSameBarsAsTheOriginal() throws Exception {
    SymbolClock clock = new SymbolClock();
    clock.clock = 30_000;
    clock.numbering.number("a bar", 55_000, 100, 86_400_000);
    clock.flushAt = 60_000;
    clock.sweepAt = 600_000;
    clock.sweptBelow = 3;
    clock.newestBucket = 6;
    BarAccumulator first = BarAccumulator.of(0, tick("ABC-1", 1_000, 10.1, 100));
    first.add(tick("ABC-2", 59_000, 10.3, 0));
    first.add(tick("ABC-0", 1_000, 9.9, 50)); // same time as the open, smaller id: the new open
    clock.open.put(0L, first);
    clock.open.put(60_000L, BarAccumulator.of(60_000, tick("ABC-3", 61_000, 0.1, 7)));

    SymbolClock decoded =
        CoderUtils.decodeFromByteArray(
            SymbolClock.Coder.of(), CoderUtils.encodeToByteArray(SymbolClock.Coder.of(), clock));

    assertEquals(clock.clock, decoded.clock);
    // The numbering goes on where it was: the next bar is #101, not a new generation.
    assertEquals(
        clock.numbering.number("b", 56_000, 0, 86_400_000),
        decoded.numbering.number("b", 56_000, 0, 86_400_000));
    assertEquals(clock.flushAt, decoded.flushAt);
    assertEquals(clock.sweepAt, decoded.sweepAt);
    assertEquals(clock.sweptBelow, decoded.sweptBelow);
    assertEquals(clock.newestBucket, decoded.newestBucket);
    assertEquals(clock.open.keySet(), decoded.open.keySet());
    for (long start : clock.open.keySet()) {
      Bar expected = clock.open.get(start).toBar("ABC", 60_000);
      assertEquals(expected, decoded.open.get(start).toBar("ABC", 60_000));
    }
    Bar bar = decoded.open.get(0L).toBar("ABC", 60_000);
    assertEquals(9.9, bar.getOpen());
    assertEquals(10.3, bar.getClose());
    assertEquals(150, bar.getVolume());
    assertEquals((10.1 * 100 + 9.9 * 50) / 150, bar.getVwap(), 1e-12);
  }
}
