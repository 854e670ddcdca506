package io.tickstream.generator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.testing.Kinesalite;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import io.tickstream.tick.TickParser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/** {@link KinesisSink} against kinesalite: delivery, throttling and a missing stream. */
class KinesisSinkIT {
  private static final List<String> SYMBOLS =
      List.of("AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "BRK.B", "^GSPC", "TSLA");
  private static final long START_MILLIS = Instant.parse("2024-01-02T14:30:00Z").getMillis();
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private static Kinesalite kinesalite;

  @BeforeAll
  static void startKinesalite() throws IOException {
    kinesalite = Kinesalite.start();
  }

  @AfterAll
  static void stopKinesalite() {
    if (kinesalite != null) {
      kinesalite.close();
    }
  }

  @Test
  void deliversEveryTickOnceKeyedBySymbol() throws Exception {
    kinesalite.createStream("ticks-4", 4);
    List<Tick> sent = ticks(5_000, SYMBOLS, new Random(11));

    KinesisSink sink = sinkOn(kinesalite, "ticks-4");
    try (sink) {
      for (Tick t : sent) {
        sink.send(t.getSymbol(), t.timestampMillis(), TickJson.toJson(t));
      }
    }

    assertEquals(sent.size(), sink.stats().acknowledged());
    assertEquals(0, sink.stats().retries());
    List<Record> read = kinesalite.readAll("ticks-4", sent.size(), READ_TIMEOUT);
    Map<String, Tick> expected = byEventId(sent);
    Map<String, Integer> seen = new TreeMap<>();
    for (Record r : read) {
      Tick t = TickParser.parse(r.data().asByteArray());
      assertEquals(t.getSymbol(), r.partitionKey(), "partition key of " + t.getEventId());
      assertEquals(expected.get(t.getEventId()), t, "tick read back for " + t.getEventId());
      seen.merge(t.getEventId(), 1, Integer::sum);
    }
    assertEquals(new TreeMap<>(expected).keySet(), seen.keySet(), "event ids read back");
    seen.forEach((id, n) -> assertEquals(1, n, id + " read " + n + " times"));
    assertEquals(sent.size(), read.size());
  }

  @Test
  void retriesThrottledRecordsUntilAllArriveInOrder() throws Exception {
    List<Tick> sent = ticks(3_000, SYMBOLS.subList(0, 5), new Random(12));
    try (Kinesalite limited = Kinesalite.startWithWriteLimit(1_000)) {
      limited.createStream("ticks-throttled", 1);

      KinesisSink sink = sinkOn(limited, "ticks-throttled");
      try (sink) {
        for (Tick t : sent) {
          sink.send(t.getSymbol(), t.timestampMillis(), TickJson.toJson(t));
        }
      }

      assertTrue(sink.stats().retries() > 0, "the write limit never refused a record");
      assertEquals(sent.size(), sink.stats().acknowledged());
      List<Record> read = limited.readAll("ticks-throttled", sent.size(), READ_TIMEOUT);
      assertEquals(sent.size(), read.size(), "records read back");

      Map<String, List<String>> readPerSymbol = new LinkedHashMap<>();
      for (Record r : read) {
        Tick t = TickParser.parse(r.data().asByteArray());
        readPerSymbol.computeIfAbsent(t.getSymbol(), s -> new ArrayList<>()).add(t.getEventId());
      }
      Map<String, List<String>> sentPerSymbol = new LinkedHashMap<>();
      for (Tick t : sent) {
        sentPerSymbol.computeIfAbsent(t.getSymbol(), s -> new ArrayList<>()).add(t.getEventId());
      }
      // Every tick once, and each symbol's ticks in the order they were sent.
      assertEquals(new TreeMap<>(sentPerSymbol), new TreeMap<>(readPerSymbol));
    }
  }

  @Test
  void failsFastNamingAMissingStream() {
    KinesisSink sink = sinkOn(kinesalite, "no-such-stream");
    IOException e =
        assertTimeout(
            Duration.ofSeconds(10),
            () ->
                assertThrows(
                    IOException.class,
                    () -> {
                      try (sink) {
                        sink.send("AAPL", START_MILLIS, "{}");
                        sink.flush();
                      }
                    }));
    assertTrue(e.getMessage().contains("no-such-stream"), e.getMessage());
    assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
    assertEquals(0, sink.stats().retries());
  }

  private static KinesisSink sinkOn(Kinesalite server, String stream) {
    return KinesisSink.create(
        stream,
        server.endpoint(),
        Kinesalite.REGION,
        Kinesalite.CREDENTIALS,
        KinesisSink.Backoff.DEFAULT);
  }

  /** {@code n} ticks on symbols picked at random, 1 ms apart, event ids {@code SYMBOL-SEQ}. */
  private static List<Tick> ticks(int n, List<String> symbols, Random random) {
    Map<String, Integer> seq = new HashMap<>();
    List<Tick> ticks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String symbol = symbols.get(random.nextInt(symbols.size()));
      int s = seq.merge(symbol, 1, Integer::sum);
      ticks.add(
          Tick.create(
              symbol + "-" + s,
              symbol,
              Math.round((100 + random.nextDouble() * 50) * 100) / 100.0,
              1 + random.nextInt(1_000),
              new Instant(START_MILLIS + i),
              random.nextBoolean() ? null : 1e9 + random.nextInt(1_000_000),
              random.nextBoolean() ? null : 5 + random.nextInt(40) / 2.0));
    }
    return ticks;
  }

  private static Map<String, Tick> byEventId(List<Tick> ticks) {
    Map<String, Tick> map = new HashMap<>();
    ticks.forEach(t -> map.put(t.getEventId(), t));
    return map;
  }
}
