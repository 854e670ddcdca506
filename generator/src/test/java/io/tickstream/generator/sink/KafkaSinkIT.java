package io.tickstream.generator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.testing.KafkaBroker;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import io.tickstream.tick.TickParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link KafkaSink} against a real in-process broker. */
class KafkaSinkIT {
  private static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOG", "BRK.B", "^SPX", "TSLA", "NVDA"};
  private static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void deliversEveryTickOnceKeyedBySymbolInSendOrderPerPartition() throws Exception {
    String topic = "ticks-delivery";
    broker.createTopic(topic, 3);
    int count = 20_000;
    List<Tick> sent = ticks(count, new Random(42));

    KafkaSink sink = new KafkaSink(broker.bootstrapServers(), topic, Map.of());
    assertTrue(sink.countsRetries(), "record-retry-total metric found");
    try (sink) {
      for (Tick t : sent) {
        sink.send(t.getSymbol(), t.timestampMillis(), TickJson.toJson(t));
      }
    }
    assertEquals(count, sink.stats().acknowledged(), "acknowledged");
    assertEquals(0, sink.stats().errors(), "errors");

    List<ConsumerRecord<String, String>> got =
        broker.consumeAll(topic, count, Duration.ofSeconds(60));

    assertEquals(count, got.size(), "records in the topic");
    Set<String> sentIds = new HashSet<>();
    Map<String, List<String>> sentIdsBySymbol = new HashMap<>();
    for (Tick t : sent) {
      sentIds.add(t.getEventId());
      sentIdsBySymbol.computeIfAbsent(t.getSymbol(), s -> new ArrayList<>()).add(t.getEventId());
    }
    Set<String> gotIds = new HashSet<>();
    Map<String, Integer> partitionBySymbol = new HashMap<>();
    Map<String, List<String>> gotIdsBySymbol = new HashMap<>();
    // Records come back in offset order within each partition, which is what "in order" means.
    for (ConsumerRecord<String, String> r : got) {
      Tick t = TickParser.parse(r.value());
      assertTrue(gotIds.add(t.getEventId()), () -> "duplicate " + t.getEventId());
      assertEquals(t.getSymbol(), r.key(), "key of " + t.getEventId());
      Integer first = partitionBySymbol.putIfAbsent(t.getSymbol(), r.partition());
      if (first != null) {
        assertEquals(first, r.partition(), "partition of " + t.getEventId());
      }
      gotIdsBySymbol.computeIfAbsent(t.getSymbol(), s -> new ArrayList<>()).add(t.getEventId());
    }
    assertEquals(sentIds, gotIds, "event ids");
    assertEquals(sentIdsBySymbol, gotIdsBySymbol, "order of event ids per symbol");
    assertTrue(
        new HashSet<>(partitionBySymbol.values()).size() > 1,
        () -> "symbols spread over partitions: " + partitionBySymbol);
  }

  @Test
  void unreachableBrokerFailsWithTheDestinationInTheMessage() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + closedPort;
    // The producer gives up on metadata after max.block.ms; the other two keep the config valid
    // (delivery.timeout.ms >= linger.ms + request.timeout.ms).
    Map<String, Object> extra =
        Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1_500);
    Tick tick = ticks(1, new Random(7)).get(0);

    KafkaSink sink = new KafkaSink(bootstrap, "ticks", extra);
    IOException fromFlush;
    IOException fromClose;
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(15),
          () -> sink.send(tick.getSymbol(), tick.timestampMillis(), TickJson.toJson(tick)));
      fromFlush = assertThrows(IOException.class, sink::flush);
    } finally {
      fromClose = assertThrows(IOException.class, sink::close);
    }

    for (IOException e : List.of(fromFlush, fromClose)) {
      String message = e.getMessage();
      assertTrue(
          message.startsWith("kafka " + bootstrap + "/ticks: "), () -> "message: " + message);
      assertTrue(message.contains("TimeoutException"), () -> "message: " + message);
    }
    assertEquals(0, sink.stats().acknowledged(), "acknowledged");
    assertEquals(1, sink.stats().errors(), "errors");
  }

  /** {@code count} ticks round-robin over {@link #SYMBOLS}, event ids {@code SYMBOL-SEQ}. */
  private static List<Tick> ticks(int count, Random random) {
    List<Tick> ticks = new ArrayList<>(count);
    int[] seq = new int[SYMBOLS.length];
    for (int i = 0; i < count; i++) {
      int s = random.nextInt(SYMBOLS.length);
      String symbol = SYMBOLS[s];
      ticks.add(
          Tick.create(
              symbol + "-" + seq[s]++,
              symbol,
              100 + random.nextInt(10_000) / 100.0,
              random.nextInt(1_000),
              new Instant(START_MILLIS + i * 10L),
              random.nextBoolean() ? null : 1.0e12,
              null));
    }
    return ticks;
  }
}
