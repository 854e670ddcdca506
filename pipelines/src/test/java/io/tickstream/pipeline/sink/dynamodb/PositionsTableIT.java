package io.tickstream.pipeline.sink.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Position;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.model.RawRecord;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.Sequenced.SequencedCoder;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.pipeline.transforms.ProcessTicks;
import io.tickstream.pipeline.transforms.StrategyConfig;
import io.tickstream.testing.DynamoDbLocal;
import io.tickstream.testing.KeyedDoFnHarness;
import io.tickstream.tick.Tick;
import io.tickstream.tick.TickJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link WritePositionsTable} against DynamoDB Local on DirectRunner: the table after a
 * known-answer run of {@link ProcessTicks}, after shuffled and duplicated changes, and after a full
 * replay. Times are seconds after {@code new Instant(0)}; minute m is [60m, 60m + 60).
 */
class PositionsTableIT {
  private static final java.time.Duration TTL = java.time.Duration.ofDays(1);

  private static final StrategyConfig STRATEGY = new StrategyConfig(2, 3, 10_000, 10);
  private static final String SMA = STRATEGY.name();

  private static DynamoDbLocal ddb;
  private static int tables;

  @BeforeAll
  static void startDynamoDbLocal() throws IOException {
    ddb = DynamoDbLocal.start();
  }

  @AfterAll
  static void stopDynamoDbLocal() throws IOException {
    if (ddb != null) {
      ddb.close();
    }
  }

  /**
   * ABC as in ProcessTicksTest: BUY at bar 3 (close 12), marked at bar 4, SELL at bar 5: closed.
   * XYZ, one tick a minute closing 10, 10, 10, 12, 13, 14: BUY at bar 3 (fast 11 > slow 10.667
   * after 10 = 10), then fast stays above slow: open at the end, 833 shares from 12 marked at 14.
   */
  @Test
  void closedPositionIsDeletedAndOpenOneKeepsItsLastMark() {
    String table = newTable();
    TestPipeline p = pipeline();
    List<Tick> ticks = new ArrayList<>();
    ticks.addAll(
        List.of(
            tick("ABC-0", "ABC", 0, 10, 100),
            tick("ABC-1", "ABC", 30, 10, 300),
            tick("ABC-2", "ABC", 60, 9, 100),
            tick("ABC-3", "ABC", 60, 11, 100),
            tick("ABC-4", "ABC", 119, 10, 200),
            tick("ABC-5", "ABC", 150, 10, 100),
            tick("ABC-6", "ABC", 180, 11, 100),
            tick("ABC-7", "ABC", 200, 13, 100),
            tick("ABC-8", "ABC", 230, 12, 200),
            tick("ABC-9", "ABC", 250, 8, 0),
            tick("ABC-10", "ABC", 290, 9, 0),
            tick("ABC-11", "ABC", 330, 6, 50)));
    double[] xyzCloses = {10, 10, 10, 12, 13, 14};
    for (int m = 0; m < xyzCloses.length; m++) {
      ticks.add(tick("XYZ-" + m, "XYZ", 60L * m + 45, xyzCloses[m], 100));
    }
    ticks.sort(Comparator.comparingLong(Tick::timestampMillis));
    TestStream.Builder<RawRecord> stream = events(p);
    int line = 0;
    for (Tick t : ticks) {
      stream = stream.addElements(raw(t, ++line));
    }

    p.apply("Ticks", stream.advanceWatermarkToInfinity())
        .apply(
            ProcessTicks.of(
                java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(30), STRATEGY))
        .get(ProcessTicks.POSITION_CHANGES)
        .apply(WritePositionsTable.to(config(table), TTL));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(
        Map.of("XYZ/" + SMA, Position.create("XYZ", SMA, 833, at(240), 12, 14, 2 * 833, at(360))),
        scan(table));
    // ABC: open and one mark, then the close; XYZ: open and two marks.
    assertEquals(5, counter(result, PipelineMetrics.POSITIONS_TABLE_UPSERTS));
    assertEquals(1, counter(result, PipelineMetrics.POSITIONS_TABLE_DELETES));
    assertEquals(0, counter(result, PipelineMetrics.POSITIONS_TABLE_STALE));
  }

  @Test
  void shuffledAndDuplicatedChangesGiveTheInOrderResult() {
    String table = newTable();
    List<KV<String, Sequenced<PositionChange>>> log = changeLog();
    List<KV<String, Sequenced<PositionChange>>> delivered = new ArrayList<>(log);
    // Resends of a mark, a close, an open and a last mark; then a fixed shuffle.
    delivered.add(log.get(1));
    delivered.add(log.get(2));
    delivered.add(log.get(5));
    delivered.add(log.get(log.size() - 1));
    Collections.shuffle(delivered, new Random(7));
    assertTrue(arrivesOutOfOrder(delivered, "AAA"), "the shuffle must reorder AAA's changes");

    PipelineResult result = write(table, delivered);

    assertEquals(expectedTable(), scan(table));
    // Each change reaches the table once: duplicates stop in the in-order buffer.
    assertEquals(9, counter(result, PipelineMetrics.POSITIONS_TABLE_UPSERTS));
    assertEquals(2, counter(result, PipelineMetrics.POSITIONS_TABLE_DELETES));
    assertEquals(0, counter(result, PipelineMetrics.POSITIONS_TABLE_STALE));
  }

  /**
   * A job that applies the whole log again (a retry with its state lost, the worst replay) leaves
   * the same table: older marks are refused, the close deletes, later changes apply again.
   */
  @Test
  void replayingTheWholeLogConvergesAndRefusesOlderMarks() {
    String table = newTable();
    write(table, changeLog());
    assertEquals(expectedTable(), scan(table));

    PipelineResult replay = write(table, changeLog());

    assertEquals(expectedTable(), scan(table));
    // AAA: 2 marks refused by its later stored mark, then close, reopen and mark apply again.
    // BBB was deleted: its open and mark apply, then its close deletes it again.
    // CCC: all three marks are not newer than the stored one; the last (equal) is rewritten.
    assertEquals(2 + 2 + 1, counter(replay, PipelineMetrics.POSITIONS_TABLE_UPSERTS));
    assertEquals(2, counter(replay, PipelineMetrics.POSITIONS_TABLE_DELETES));
    assertEquals(2 + 2, counter(replay, PipelineMetrics.POSITIONS_TABLE_STALE));
  }

  /** The table step keeps a symbol's numbers only until its changes stop for the state TTL. */
  @Test
  void aSymbolWhoseChangesStopLeavesNoStateOrTimerBehind() throws Exception {
    String table = newTable();
    KeyedDoFnHarness<String, Sequenced<PositionChange>, Void> apply =
        new KeyedDoFnHarness<>(
            new WritePositionsTable.ApplyChangesFn(
                config(table),
                StateTtl.of(TTL),
                SequencedCoder.of(
                    SchemaRegistry.createDefault().getSchemaCoder(PositionChange.class))),
            "AAA",
            new org.apache.beam.sdk.values.TupleTag<Void>() {},
            List.of());
    List<KV<String, Sequenced<PositionChange>>> aaa =
        changeLog().stream().filter(c -> c.getKey().equals("AAA")).toList();
    // Arriving out of order: the third change waits for the second.
    for (int i : new int[] {0, 2, 1, 3, 4}) {
      Position p = aaa.get(i).getValue().value().getPosition();
      apply.process(aaa.get(i).getValue(), p == null ? new Instant(180_000) : p.getAsOf());
    }
    assertEquals(Map.of("AAA/" + SMA, position("AAA", 50, 240, 20, 22.5, 300)), scan(table));
    assertFalse(apply.hasNoState(), "the next number is kept while changes may come");

    apply.advanceWatermarkTo(new Instant(300_000).plus(TTL.toMillis() + 1));
    assertTrue(apply.hasNoState(), "no number and no waiting change left");
    assertFalse(apply.hasTimers());
  }

  @Test
  void missingTableFailsTheRunNamingTheTable() {
    Pipeline.PipelineExecutionException e =
        assertThrows(
            Pipeline.PipelineExecutionException.class,
            () -> write("no-such-positions", changeLog().subList(0, 1)));
    String messages = messages(e);
    assertTrue(
        messages.contains("DynamoDB table no-such-positions (us-east-1 at " + ddb.endpoint())
            && messages.contains("does not exist"),
        messages);
  }

  /**
   * Three symbols' changes, numbered per symbol: AAA opens, is marked, closes, reopens and is
   * marked; BBB opens, is marked and closes; CCC opens and is marked twice.
   */
  private static List<KV<String, Sequenced<PositionChange>>> changeLog() {
    return List.of(
        change("AAA", 0, position("AAA", 100, 60, 10, 10, 60)),
        change("AAA", 1, position("AAA", 100, 60, 10, 11, 120)),
        change("AAA", 2, null),
        change("AAA", 3, position("AAA", 50, 240, 20, 20, 240)),
        change("AAA", 4, position("AAA", 50, 240, 20, 22.5, 300)),
        change("BBB", 0, position("BBB", 7, 60, 30, 30, 60)),
        change("BBB", 1, position("BBB", 7, 60, 30, 29, 120)),
        change("BBB", 2, null),
        change("CCC", 0, position("CCC", 3, 120, 40, 40, 120)),
        change("CCC", 1, position("CCC", 3, 120, 40, 41, 180)),
        change("CCC", 2, position("CCC", 3, 120, 40, 39.75, 240)));
  }

  private static Map<String, Position> expectedTable() {
    return Map.of(
        "AAA/" + SMA, position("AAA", 50, 240, 20, 22.5, 300),
        "CCC/" + SMA, position("CCC", 3, 120, 40, 39.75, 240));
  }

  private static PipelineResult write(
      String table, List<KV<String, Sequenced<PositionChange>>> in) {
    TestPipeline p = pipeline();
    PCollection<KV<String, Sequenced<PositionChange>>> changes;
    try {
      changes =
          p.apply(
              "Changes",
              Create.of(in)
                  .withCoder(
                      KvCoder.of(
                          StringUtf8Coder.of(),
                          SequencedCoder.of(
                              p.getSchemaRegistry().getSchemaCoder(PositionChange.class)))));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    changes.apply(WritePositionsTable.to(config(table), TTL));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static String newTable() {
    String name = "positions-" + (++tables);
    PositionsTable.create(ddb.client(), name);
    return name;
  }

  private static PositionsTableConfig config(String table) {
    return PositionsTableConfig.of(table, DynamoDbLocal.REGION.id())
        .withEndpoint(ddb.endpoint())
        .withStaticCredentials(DynamoDbLocal.ACCESS_KEY_ID, DynamoDbLocal.SECRET_ACCESS_KEY);
  }

  /** Every item of the table as symbol/strategy to position; fails on a malformed item. */
  private static Map<String, Position> scan(String table) {
    Map<String, Position> items = new TreeMap<>();
    for (Map<String, AttributeValue> item :
        ddb.client().scanPaginator(b -> b.tableName(table)).items()) {
      Position p = PositionsTable.position(item);
      Position previous = items.put(p.getSymbol() + "/" + p.getStrategy(), p);
      assertEquals(null, previous, "two items for " + p.getSymbol() + "/" + p.getStrategy());
    }
    return items;
  }

  private static boolean arrivesOutOfOrder(
      List<KV<String, Sequenced<PositionChange>>> changes, String symbol) {
    long previous = -1;
    for (KV<String, Sequenced<PositionChange>> c : changes) {
      if (c.getKey().equals(symbol)) {
        if (c.getValue().seq() < previous) {
          return true;
        }
        previous = c.getValue().seq();
      }
    }
    return false;
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PipelineMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getCommitted();
    }
    return sum;
  }

  private static TestPipeline pipeline() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(true);
  }

  private static TestStream.Builder<RawRecord> events(TestPipeline p) {
    try {
      return TestStream.create(p.getSchemaRegistry().getSchemaCoder(RawRecord.class))
          .advanceWatermarkTo(new Instant(0));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TimestampedValue<RawRecord> raw(Tick t, int line) {
    return TimestampedValue.of(
        RawRecord.create(
            "test", "line=" + line, TickJson.toJson(t).getBytes(StandardCharsets.UTF_8)),
        new Instant(t.timestampMillis()));
  }

  private static Tick tick(String id, String symbol, long second, double price, long volume) {
    return Tick.create(id, symbol, price, volume, at(second), null, null);
  }

  private static KV<String, Sequenced<PositionChange>> change(
      String symbol, long seq, Position position) {
    // Each symbol's first change starts its generation, as a fresh TrackPositions makes it.
    return KV.of(symbol, Sequenced.of(seq, seq == 0, PositionChange.create(symbol, SMA, position)));
  }

  private static Position position(
      String symbol, long qty, long entrySecond, double entry, double mark, long asOfSecond) {
    return Position.create(
        symbol, SMA, qty, at(entrySecond), entry, mark, (mark - entry) * qty, at(asOfSecond));
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static Instant at(long second) {
    return new Instant(second * 1000);
  }
}
