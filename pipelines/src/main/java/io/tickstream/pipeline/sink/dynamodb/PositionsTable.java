package io.tickstream.pipeline.sink.dynamodb;

import io.tickstream.pipeline.model.Position;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joda.time.Instant;
import org.joda.time.format.DateTimeFormatter;
import org.joda.time.format.ISODateTimeFormat;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The DynamoDB table of open positions that {@link WritePositionsTable} keeps: one item per open
 * position, the same fields as the {@code positions} dataset.
 *
 * <table>
 *   <caption>Item layout</caption>
 *   <tr><th>attribute</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@code symbol}</td><td>S, partition key</td><td>ticker</td></tr>
 *   <tr><td>{@code strategy}</td><td>S, sort key</td><td>e.g. {@code sma_5_20}</td></tr>
 *   <tr><td>{@code qty}</td><td>N</td><td>shares held</td></tr>
 *   <tr><td>{@code entry_time}</td><td>S</td><td>ISO-8601 UTC, millisecond precision</td></tr>
 *   <tr><td>{@code entry_price}</td><td>N</td><td>fill price of the entry</td></tr>
 *   <tr><td>{@code mark_price}</td><td>N</td><td>close of the marking bar</td></tr>
 *   <tr><td>{@code unrealized_pnl}</td><td>N</td><td>(mark - entry) x qty, before fees</td></tr>
 *   <tr><td>{@code as_of}</td><td>S</td><td>end of the marking bar, ISO-8601 UTC, millis</td></tr>
 * </table>
 *
 * <p>Times are written as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, a fixed width, so that string
 * order is time order: the write condition compares {@code as_of} as a string. Numbers are written
 * exactly (the shortest decimal that reads back as the same double).
 */
public final class PositionsTable {
  public static final String SYMBOL = "symbol";
  public static final String STRATEGY = "strategy";
  public static final String QTY = "qty";
  public static final String ENTRY_TIME = "entry_time";
  public static final String ENTRY_PRICE = "entry_price";
  public static final String MARK_PRICE = "mark_price";
  public static final String UNREALIZED_PNL = "unrealized_pnl";
  public static final String AS_OF = "as_of";

  private static final DateTimeFormatter ISO_UTC = ISODateTimeFormat.dateTime().withZoneUTC();

  /** How often {@link #create} asks whether the table is ACTIVE, and for how long at most. */
  private static final Duration ACTIVE_POLL = Duration.ofSeconds(1);

  private static final int ACTIVE_POLLS = 300;

  private PositionsTable() {}

  /**
   * Creates the table {@code name} with the positions key schema ({@code symbol} hash, {@code
   * strategy} range, both strings) and on-demand capacity (PAY_PER_REQUEST), then waits until it is
   * ACTIVE (at once on DynamoDB Local, seconds on AWS; up to five minutes). Fails with the SDK's
   * {@code ResourceInUseException} when a table of that name already exists.
   */
  public static void create(DynamoDbClient ddb, String name) {
    ddb.createTable(
        b ->
            b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(
                    KeySchemaElement.builder().attributeName(SYMBOL).keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder()
                        .attributeName(STRATEGY)
                        .keyType(KeyType.RANGE)
                        .build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName(SYMBOL)
                        .attributeType(ScalarAttributeType.S)
                        .build(),
                    AttributeDefinition.builder()
                        .attributeName(STRATEGY)
                        .attributeType(ScalarAttributeType.S)
                        .build()));
    try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(ddb).build()) {
      waiter
          .waitUntilTableExists(
              b -> b.tableName(name),
              o ->
                  o.backoffStrategy(FixedDelayBackoffStrategy.create(ACTIVE_POLL))
                      .maxAttempts(ACTIVE_POLLS))
          .matched()
          .exception()
          .ifPresent(
              e -> {
                throw new IllegalStateException(
                    "DynamoDB table " + name + " did not become ACTIVE", e);
              });
    }
  }

  /** The key of the item of {@code symbol}'s position under {@code strategy}. */
  public static Map<String, AttributeValue> key(String symbol, String strategy) {
    return Map.of(SYMBOL, AttributeValue.fromS(symbol), STRATEGY, AttributeValue.fromS(strategy));
  }

  /** The item of an open position. */
  public static Map<String, AttributeValue> item(Position p) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(SYMBOL, AttributeValue.fromS(p.getSymbol()));
    item.put(STRATEGY, AttributeValue.fromS(p.getStrategy()));
    item.put(QTY, AttributeValue.fromN(Long.toString(p.getQty())));
    item.put(ENTRY_TIME, AttributeValue.fromS(time(p.getEntryTime())));
    item.put(ENTRY_PRICE, AttributeValue.fromN(number(p.getEntryPrice(), ENTRY_PRICE, p)));
    item.put(MARK_PRICE, AttributeValue.fromN(number(p.getMarkPrice(), MARK_PRICE, p)));
    item.put(UNREALIZED_PNL, AttributeValue.fromN(number(p.getUnrealizedPnl(), UNREALIZED_PNL, p)));
    item.put(AS_OF, AttributeValue.fromS(time(p.getAsOf())));
    return item;
  }

  /** The position an item holds; the inverse of {@link #item}. */
  public static Position position(Map<String, AttributeValue> item) {
    return Position.create(
        string(item, SYMBOL),
        string(item, STRATEGY),
        Long.parseLong(numberText(item, QTY)),
        Instant.parse(string(item, ENTRY_TIME)),
        Double.parseDouble(numberText(item, ENTRY_PRICE)),
        Double.parseDouble(numberText(item, MARK_PRICE)),
        Double.parseDouble(numberText(item, UNREALIZED_PNL)),
        Instant.parse(string(item, AS_OF)));
  }

  /** {@code t} as the table stores it, e.g. {@code 2025-01-02T14:31:00.000Z}. */
  public static String time(Instant t) {
    return ISO_UTC.print(t);
  }

  private static String number(double value, String attribute, Position p) {
    if (!Double.isFinite(value)) {
      // DynamoDB numbers have no NaN or infinity; upstream validation makes this unreachable.
      throw new IllegalArgumentException(
          attribute + " of " + p + " is " + value + ", which a DynamoDB number cannot hold");
    }
    return BigDecimal.valueOf(value).toPlainString();
  }

  private static String string(Map<String, AttributeValue> item, String attribute) {
    AttributeValue v = item.get(attribute);
    if (v == null || v.s() == null) {
      throw new IllegalArgumentException("positions item has no string " + attribute + ": " + item);
    }
    return v.s();
  }

  private static String numberText(Map<String, AttributeValue> item, String attribute) {
    AttributeValue v = item.get(attribute);
    if (v == null || v.n() == null) {
      throw new IllegalArgumentException("positions item has no number " + attribute + ": " + item);
    }
    return v.n();
  }
}
