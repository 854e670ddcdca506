package io.tickstream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickstream.tick.Tick;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class TickCoderTest {
  private static final Instant T = Instant.parse("2025-01-02T14:30:00.123Z");

  @Test
  void roundTripsEveryFieldIncludingAbsentOptionalOnes() throws Exception {
    for (Tick tick :
        new Tick[] {
          Tick.create("AAPL-1", "AAPL", 187.25, 300, T, 2.9e12, 31.2),
          Tick.create("BRK.A-2", "BRK.A", 612_000.5, 0, T, null, 9.1),
          Tick.create("^GSPC-3", "^GSPC", 5000.0, 1, new Instant(-1), 0.0, null),
          Tick.create("Ünicode-éé", "X", Double.MIN_VALUE, Long.MAX_VALUE, T, null, null),
          Tick.create("neg-pe", "X", 1.0, 5, T, 1.0, -0.0)
        }) {
      CoderProperties.coderDecodeEncodeEqual(TickCoder.of(), tick);
      CoderProperties.coderDeterministic(TickCoder.of(), tick, tick);
      CoderProperties.structuralValueDecodeEncodeEqual(TickCoder.of(), tick);
    }
    CoderProperties.coderSerializable(TickCoder.of());
  }

  @Test
  void isMuchSmallerThanTheJsonItCameFrom() throws Exception {
    byte[] bytes =
        CoderUtils.encodeToByteArray(
            TickCoder.of(), Tick.create("AAPL-123456", "AAPL", 187.25, 300, T, null, null));
    // 1 (length) + 12 + 5 (strings with lengths) + 8 (price) + 2 (volume) + 6 (millis) + 1 (flags)
    assertEquals(35, bytes.length);
  }

  @Test
  void ticksInARowEachReadOnlyTheirOwnBytes() throws Exception {
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ticks.add(
          Tick.create(
              "E-" + "x".repeat(i),
              "S" + (i % 7),
              1 + i / 8.0,
              i * 1_000_003L,
              new Instant(1_700_000_000_000L + i),
              i % 3 == 0 ? null : i * 1e9,
              i % 5 == 0 ? null : -i / 3.0));
    }
    Coder<List<Tick>> list = ListCoder.of(TickCoder.of());
    assertEquals(ticks, CoderUtils.clone(list, ticks));
  }

  @Test
  void aTruncatedTickIsAnErrorNotAWrongTick() throws Exception {
    byte[] bytes =
        CoderUtils.encodeToByteArray(
            TickCoder.of(), Tick.create("AAPL-1", "AAPL", 187.25, 300, T, 2.9e12, 31.2));
    for (int cut = 0; cut < bytes.length; cut++) {
      byte[] truncated = Arrays.copyOf(bytes, cut);
      assertThrows(
          IOException.class, () -> TickCoder.of().decode(new ByteArrayInputStream(truncated)));
    }
  }

  @Test
  void refusesNull() {
    assertThrows(
        CoderException.class, () -> CoderUtils.encodeToByteArray(TickCoder.of(), (Tick) null));
  }
}
