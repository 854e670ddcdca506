package io.tickstream.pipeline.model;

import io.tickstream.tick.Tick;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * A few records of every dataset spread over two UTC days and several hours, with edge cases: a
 * tick on the last millisecond of an hour, nulls in the nullable tick columns, a trade entered one
 * day and exited the next, a bar that ends exactly at midnight.
 */
public final class LakeRecords {
  private LakeRecords() {}

  public static Instant at(String iso) {
    return Instant.parse(iso);
  }

  public static List<Tick> ticks() {
    return List.of(
        Tick.create("AAPL-1", "AAPL", 187.25, 100, at("2025-01-02T14:00:05.123Z"), 2.9e12, 29.4),
        Tick.create("AAPL-2", "AAPL", 187.5, 0, at("2025-01-02T14:59:59.999Z"), null, null),
        Tick.create("MSFT-1", "MSFT", 402.0, 5, at("2025-01-02T15:00:00Z"), 3.0e12, null),
        Tick.create("BRK.B-1", "BRK.B", 452.1, 7, at("2025-01-03T00:00:00Z"), null, 9.5));
  }

  public static List<Bar> bars() {
    return List.of(
        Bar.create(
            "AAPL",
            at("2025-01-02T23:59:00Z"),
            at("2025-01-03T00:00:00Z"),
            187.0,
            188.0,
            186.5,
            187.5,
            1200,
            187.3,
            14),
        Bar.create(
            "AAPL",
            at("2025-01-03T00:00:00Z"),
            at("2025-01-03T00:01:00Z"),
            187.5,
            187.9,
            187.1,
            187.2,
            800,
            187.4,
            9));
  }

  public static List<Signal> signals() {
    return List.of(
        Signal.create(
            "AAPL", at("2025-01-02T16:31:00Z"), Signal.BUY, 187.4, 187.2, 186.9, "sma_5_20"),
        Signal.create(
            "AAPL", at("2025-01-03T09:02:00Z"), Signal.SELL, 185.0, 185.1, 185.6, "sma_5_20"));
  }

  public static List<Position> positions() {
    return List.of(
        Position.create(
            "AAPL",
            "sma_5_20",
            10,
            at("2025-01-02T16:31:00Z"),
            187.4,
            188.0,
            6.0,
            at("2025-01-02T23:59:00Z")),
        Position.create(
            "AAPL",
            "sma_5_20",
            10,
            at("2025-01-02T16:31:00Z"),
            187.4,
            186.0,
            -14.0,
            at("2025-01-03T00:01:00Z")));
  }

  /** The first trade is entered on 2025-01-02 and exited on 2025-01-03: it belongs to the 3rd. */
  public static List<Trade> trades() {
    return List.of(
        Trade.create(
            "AAPL-1735835460000",
            "AAPL",
            "sma_5_20",
            10,
            at("2025-01-02T16:31:00Z"),
            187.4,
            at("2025-01-03T09:02:00Z"),
            185.0,
            -24.37,
            -1.3,
            59_460),
        Trade.create(
            "MSFT-1735830000000",
            "MSFT",
            "sma_5_20",
            3,
            at("2025-01-02T15:00:00Z"),
            402.0,
            at("2025-01-02T15:30:00Z"),
            405.0,
            8.6,
            0.71,
            1_800));
  }

  public static List<DeadLetter> deadLetters() {
    return List.of(
        DeadLetter.create(
            at("2025-01-04T08:00:00Z"),
            at("2025-01-02T14:00:01Z"),
            "kafka:127.0.0.1:9092/ticks",
            "partition=0 offset=17",
            "{\"symbol\":",
            "utf8",
            "MALFORMED_JSON",
            "unexpected end of input",
            "ParseTicks"),
        DeadLetter.create(
            at("2025-01-04T08:00:00Z"),
            at("2025-01-03T23:59:59.999Z"),
            "file:/data/ticks.jsonl",
            "line=3",
            "/w==",
            "base64",
            "NOT_UTF8",
            "payload is not UTF-8",
            "ParseTicks"));
  }

  /**
   * Every dataset's records, each stamped with its partition time, tagged for {@code WriteLake}.
   */
  public static PCollectionTuple allDatasets(Pipeline p) {
    return PCollectionTuple.of(Dataset.TICKS.tag(), create(p, Dataset.TICKS, ticks()))
        .and(Dataset.BARS_1M.tag(), create(p, Dataset.BARS_1M, bars()))
        .and(Dataset.SIGNALS.tag(), create(p, Dataset.SIGNALS, signals()))
        .and(Dataset.POSITIONS.tag(), create(p, Dataset.POSITIONS, positions()))
        .and(Dataset.TRADES.tag(), create(p, Dataset.TRADES, trades()))
        .and(Dataset.DEAD_LETTER.tag(), create(p, Dataset.DEAD_LETTER, deadLetters()));
  }

  /** The records a test wrote for {@code dataset}. */
  public static List<?> expected(Dataset<?> dataset) {
    switch (dataset.name()) {
      case "ticks":
        return ticks();
      case "bars_1m":
        return bars();
      case "signals":
        return signals();
      case "positions":
        return positions();
      case "trades":
        return trades();
      case "dead_letter":
        return deadLetters();
      default:
        throw new IllegalArgumentException("no records for " + dataset);
    }
  }

  /** A bounded collection of {@code records}, each timestamped with its partition time. */
  public static <T> PCollection<T> create(Pipeline p, Dataset<T> dataset, List<T> records) {
    return p.apply(
        "Create" + dataset.name(),
        Create.timestamped(
                records.stream()
                    .map(r -> TimestampedValue.of(r, dataset.partitionTime(r)))
                    .toList())
            .withCoder(coder(p, dataset)));
  }

  public static <T> SchemaCoder<T> coder(Pipeline p, Dataset<T> dataset) {
    try {
      return p.getSchemaRegistry().getSchemaCoder(dataset.type());
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }
}
