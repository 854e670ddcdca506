package io.tickstream.pipeline.sink.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.model.Position;
import java.util.List;
import java.util.Map;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item layout of {@link PositionsTable}, without a server. */
class PositionsTableTest {
  private static final Position OPEN =
      Position.create(
          "BRK.B",
          "sma_5_20",
          21,
          Instant.parse("2025-01-02T14:35:00Z"),
          466.7,
          470.03,
          (470.03 - 466.7) * 21,
          Instant.parse("2025-01-02T15:01:00Z"));

  @Test
  void itemHoldsEveryFieldWithTheDocumentedTypes() {
    Map<String, AttributeValue> item = PositionsTable.item(OPEN);
    assertEquals(
        List.of(
            "symbol",
            "strategy",
            "qty",
            "entry_time",
            "entry_price",
            "mark_price",
            "unrealized_pnl",
            "as_of"),
        List.copyOf(item.keySet()));
    assertEquals(AttributeValue.fromS("BRK.B"), item.get("symbol"));
    assertEquals(AttributeValue.fromS("sma_5_20"), item.get("strategy"));
    assertEquals(AttributeValue.fromN("21"), item.get("qty"));
    assertEquals(AttributeValue.fromS("2025-01-02T14:35:00.000Z"), item.get("entry_time"));
    assertEquals(AttributeValue.fromN("466.7"), item.get("entry_price"));
    assertEquals(AttributeValue.fromN("470.03"), item.get("mark_price"));
    assertEquals(AttributeValue.fromS("2025-01-02T15:01:00.000Z"), item.get("as_of"));
    assertEquals(
        PositionsTable.key("BRK.B", "sma_5_20"),
        Map.of("symbol", item.get("symbol"), "strategy", item.get("strategy")));
  }

  @Test
  void roundTripsExactly() {
    assertEquals(OPEN, PositionsTable.position(PositionsTable.item(OPEN)));
    Position tiny =
        Position.create(
            "X", "s", 1, new Instant(0), 1e-7, 1e-7 + 1e-12, 1e-12, new Instant(60_000));
    assertEquals(tiny, PositionsTable.position(PositionsTable.item(tiny)));
  }

  @Test
  void timesHaveOneWidthSoStringOrderIsTimeOrder() {
    List<Instant> times =
        List.of(
            new Instant(0),
            new Instant(999),
            new Instant(60_000),
            Instant.parse("2025-12-31T23:59:59.999Z"));
    for (int i = 1; i < times.size(); i++) {
      String earlier = PositionsTable.time(times.get(i - 1));
      String later = PositionsTable.time(times.get(i));
      assertEquals(24, later.length(), later);
      assertTrue(earlier.compareTo(later) < 0, earlier + " vs " + later);
    }
  }

  @Test
  void aNonFiniteNumberIsRefusedNamingTheAttribute() {
    Position bad =
        Position.create(
            "X", "s", 1, new Instant(0), 1, Double.NaN, Double.NaN, new Instant(60_000));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PositionsTable.item(bad));
    assertTrue(e.getMessage().startsWith("mark_price of Position{symbol=X, "), e.getMessage());
  }
}
