package io.tickstream.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing on a fake clock: exact waits, no wall time. */
class PacerTest {
  private static final long MS = 1_000_000;
  private static final long SECOND = 1_000 * MS;
  private static final long T0 = 1_735_828_200_000L; // event time of the first record

  @Test
  void atSpeed60AMinuteOfEventTimeTakesASecond() throws Exception {
    FakeClock clock = new FakeClock(5 * SECOND);
    Pacer pacer = new Pacer(60, 0, clock);

    pacer.await(T0); // the first record sets the origin and never waits
    pacer.await(T0 + 60_000); // due one second after the first
    pacer.await(T0 + 90_000); // due 1.5 s after the first
    pacer.await(T0 + 90_000); // same event time: already due

    assertEquals(List.of(SECOND, SECOND / 2), clock.sleeps());
    assertEquals(5 * SECOND + 3 * SECOND / 2, clock.nanoTime());
  }

  @Test
  void timeSpentElsewhereIsDeductedFromTheWait() throws Exception {
    FakeClock clock = new FakeClock(0);
    Pacer pacer = new Pacer(60, 0, clock);

    pacer.await(T0);
    clock.advance(400 * MS); // sending took a while
    pacer.await(T0 + 60_000);
    clock.advance(2 * SECOND); // fell behind: the next records are already due
    pacer.await(T0 + 61_000);
    pacer.await(T0 + 62_000);

    assertEquals(List.of(600 * MS), clock.sleeps());
  }

  @Test
  void waitsOfAMillisecondOrLessAreSkipped() throws Exception {
    FakeClock clock = new FakeClock(0);
    Pacer pacer = new Pacer(1, 0, clock);

    pacer.await(T0);
    pacer.await(T0 + 1); // 1 ms ahead: within the slack
    pacer.await(T0 + 2); // 2 ms ahead: sleeps

    assertEquals(List.of(2 * MS), clock.sleeps());
  }

  @Test
  void outOfOrderEventTimesNeverWait() throws Exception {
    FakeClock clock = new FakeClock(0);
    Pacer pacer = new Pacer(10, 0, clock);

    pacer.await(T0 + 10_000);
    pacer.await(T0);
    pacer.await(T0 + 5_000);

    assertEquals(List.of(), clock.sleeps());
  }

  @Test
  void rateLimitsRecordsPerWallSecond() throws Exception {
    FakeClock clock = new FakeClock(0);
    Pacer pacer = new Pacer(Double.POSITIVE_INFINITY, 100, clock);

    for (int i = 0; i < 201; i++) {
      pacer.await(T0); // all at the same event time: only the rate holds them back
    }

    assertEquals(2 * SECOND, clock.nanoTime(), "record n goes out at n / rate");
    assertEquals(200, clock.sleeps().size());
    assertTrue(clock.sleeps().stream().allMatch(s -> s == 10 * MS), clock.sleeps()::toString);
  }

  @Test
  void theSlowerOfSpeedAndRateWins() throws Exception {
    FakeClock clock = new FakeClock(0);
    Pacer pacer = new Pacer(1, 2, clock); // real time, at most 2 records a second

    pacer.await(T0);
    pacer.await(T0 + 100); // the rate wants 0.5 s, speed 0.1 s
    pacer.await(T0 + 3_000); // speed wants 3 s, the rate 1 s

    assertEquals(List.of(SECOND / 2, 5 * SECOND / 2), clock.sleeps());
  }

  @Test
  void maxSpeedWithoutARateNeverSleepsNorReadsTheClockPerRecord() throws Exception {
    int[] reads = {0};
    FakeClock clock = new FakeClock(0);
    Pacer.Clock counting =
        new Pacer.Clock() {
          @Override
          public long nanoTime() {
            reads[0]++;
            return clock.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) {
            clock.sleepNanos(nanos);
          }
        };
    Pacer pacer = new Pacer(Double.POSITIVE_INFINITY, 0, counting);

    assertTrue(pacer.unlimited());
    for (int i = 0; i < 100_000; i++) {
      pacer.await(T0 + i * 3_600_000L);
    }

    assertEquals(List.of(), clock.sleeps());
    assertEquals(1, reads[0]);
    assertFalse(new Pacer(1, 0, clock).unlimited());
    assertFalse(new Pacer(Double.POSITIVE_INFINITY, 1, clock).unlimited());
  }
}
