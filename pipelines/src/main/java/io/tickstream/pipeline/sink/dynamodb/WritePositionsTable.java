package io.tickstream.pipeline.sink.dynamodb;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.PositionChange;
import io.tickstream.pipeline.state.InOrderBuffer;
import io.tickstream.pipeline.state.Sequenced;
import io.tickstream.pipeline.state.StateTtl;
import io.tickstream.pipeline.state.StateTtl.Expiry.ExpiryCoder;
import java.time.Duration;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Keeps the open positions in a DynamoDB table, as the AWS design this pipeline replaces did:
 * upsert on open and on every mark, delete on close. The table is described by {@link
 * PositionsTable} and must exist ({@link PositionsTable#create}, or the infrastructure stack).
 *
 * <pre>{@code
 * PCollectionTuple out = raw.apply("ProcessTicks", ProcessTicks.of(dedup, outOfOrderness, strategy));
 * out.get(ProcessTicks.POSITION_CHANGES)
 *     .apply("WritePositionsTable",
 *         WritePositionsTable.to(
 *             PositionsTableConfig.of("tickstream-positions", "us-east-1"), Duration.ofDays(1)));
 * }</pre>
 *
 * <p>Input: {@code ProcessTicks.POSITION_CHANGES}, each symbol's changes numbered ({@link
 * Sequenced}); bounded or unbounded. The numbering runs over the whole job, so the changes are put
 * into the global window first, whatever their windowing; lateness does not apply (nothing is
 * dropped).
 *
 * <p>Ordering: a stateful step keyed by symbol applies each symbol's changes strictly in number
 * order ({@link InOrderBuffer}): a change that arrives before its predecessor waits in state, and
 * one already applied (a replayed duplicate) is ignored. Each change is one synchronous request,
 * made before the next one: {@code PutItem} of the whole position, or {@code DeleteItem} of its key
 * ({@code symbol}, {@code strategy}). State per symbol: the next change's number and changes that
 * arrived early, until the symbol's changes stop for the state TTL; its next change then starts a
 * new generation, and an old one replayed after that is no longer told apart (retries replay within
 * seconds, the TTL is a day by default).
 *
 * <p>Retries are safe. A {@code PutItem} only applies when the stored position is not newer ({@code
 * attribute_not_exists(as_of) OR as_of <= :as_of}); a refused one is an older mark replayed after a
 * newer one was written and counts as already applied ({@value
 * PipelineMetrics#POSITIONS_TABLE_STALE}). {@code DeleteItem} of a missing item succeeds. When a
 * bundle fails, the runner retries it from the state of its start, so its changes are applied again
 * in order: the table converges to the same content (a position closed in the failed attempt can
 * reappear only until the retry reaches its close again). Throttling, 5xx and connection errors are
 * retried by the AWS SDK with backoff ({@link PositionsTableConfig#newClient}); any other error
 * fails the bundle with a message naming the table, the symbol and the change, and the runner
 * retries or fails the job as it does for any failing step. Nothing goes to a dead letter: a
 * skipped change would leave a wrong position in the table.
 *
 * <p>Metrics in namespace {@value PipelineMetrics#NAMESPACE}: {@value
 * PipelineMetrics#POSITIONS_TABLE_UPSERTS}, {@value PipelineMetrics#POSITIONS_TABLE_DELETES} and
 * {@value PipelineMetrics#POSITIONS_TABLE_STALE}. A table shared by two jobs, or written again by a
 * job started over older data, refuses the older marks: give each job lineage its own table.
 */
public final class WritePositionsTable
    extends PTransform<PCollection<KV<String, Sequenced<PositionChange>>>, PDone> {
  private static final long serialVersionUID = 1L;

  private final PositionsTableConfig config;
  private final Duration stateTtl;

  private WritePositionsTable(PositionsTableConfig config, Duration stateTtl) {
    this.config = config;
    this.stateTtl = stateTtl;
  }

  /**
   * Writes to the table described by {@code config}, forgetting a symbol whose changes stop for
   * {@code stateTtl}: the state TTL of the steps that made them.
   */
  public static WritePositionsTable to(PositionsTableConfig config, Duration stateTtl) {
    if (config == null) {
      throw new IllegalArgumentException("WritePositionsTable needs a PositionsTableConfig");
    }
    return new WritePositionsTable(config, stateTtl);
  }

  @Override
  public PDone expand(PCollection<KV<String, Sequenced<PositionChange>>> changes) {
    Coder<Sequenced<PositionChange>> changeCoder = changeCoder(changes.getCoder());
    changes
        .apply(
            "IntoGlobalWindow",
            Window.<KV<String, Sequenced<PositionChange>>>into(new GlobalWindows()))
        .apply(
            "ApplyInOrder",
            ParDo.of(new ApplyChangesFn(config, StateTtl.of(stateTtl), changeCoder)));
    return PDone.in(changes.getPipeline());
  }

  @SuppressWarnings("unchecked")
  private static Coder<Sequenced<PositionChange>> changeCoder(
      Coder<KV<String, Sequenced<PositionChange>>> coder) {
    if (coder instanceof KvCoder) {
      return ((KvCoder<String, Sequenced<PositionChange>>) coder).getValueCoder();
    }
    throw new IllegalArgumentException(
        "WritePositionsTable needs KvCoder<String, Sequenced<PositionChange>> input (as"
            + " ProcessTicks.POSITION_CHANGES has), got "
            + coder);
  }

  /** Applies each symbol's changes to the table in number order, one request at a time. */
  static final class ApplyChangesFn extends DoFn<KV<String, Sequenced<PositionChange>>, Void> {
    private static final long serialVersionUID = 1L;

    /** Changes that arrived before their predecessor. */
    private static final String PENDING = "pending";

    /** Number of the next change to apply. */
    private static final String NEXT = "next";

    /** When the symbol's last change came, and when its expiry timer is set for. */
    private static final String EXPIRY = "expiry";

    /** Fires a state TTL after the symbol's last change: then its state is cleared. */
    private static final String EXPIRE = "expire";

    /** Replaces the stored position unless it is newer: an older mark replayed is refused. */
    static final String NOT_NEWER = "attribute_not_exists(#as_of) OR #as_of <= :as_of";

    @StateId(PENDING)
    private final StateSpec<MapState<Long, Sequenced<PositionChange>>> pendingSpec;

    @StateId(NEXT)
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(EXPIRY)
    private final StateSpec<ValueState<StateTtl.Expiry>> expirySpec =
        StateSpecs.value(ExpiryCoder.of());

    @TimerId(EXPIRE)
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final PositionsTableConfig config;
    private final StateTtl ttl;
    private final Counter upserts =
        PipelineMetrics.counter(PipelineMetrics.POSITIONS_TABLE_UPSERTS);
    private final Counter deletes =
        PipelineMetrics.counter(PipelineMetrics.POSITIONS_TABLE_DELETES);
    private final Counter stale = PipelineMetrics.counter(PipelineMetrics.POSITIONS_TABLE_STALE);

    private transient @Nullable DynamoDbClient client;

    ApplyChangesFn(
        PositionsTableConfig config, StateTtl ttl, Coder<Sequenced<PositionChange>> changeCoder) {
      this.config = config;
      this.ttl = ttl;
      this.pendingSpec = StateSpecs.map(VarLongCoder.of(), changeCoder);
    }

    @Setup
    public void setup() {
      client = config.newClient();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Sequenced<PositionChange>> element,
        @Timestamp Instant timestamp,
        @StateId(PENDING) MapState<Long, Sequenced<PositionChange>> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(EXPIRY) ValueState<StateTtl.Expiry> expiryState,
        @TimerId(EXPIRE) Timer expire) {
      StateTtl.Expiry expiry = expiryState.read();
      if (expiry == null) {
        expiry = new StateTtl.Expiry();
      }
      if (ttl.touch(expiry, timestamp.getMillis(), expire)) {
        expiryState.write(expiry);
      }
      for (Sequenced<PositionChange> change :
          InOrderBuffer.offer(element.getValue(), pending, next)) {
        apply(element.getKey(), change.seq(), change.value());
      }
    }

    /** Clears the state of a symbol whose changes stopped a state TTL ago. */
    @OnTimer(EXPIRE)
    public void onExpire(
        OnTimerContext context,
        @StateId(PENDING) MapState<Long, Sequenced<PositionChange>> pending,
        @StateId(NEXT) ValueState<Long> next,
        @StateId(EXPIRY) ValueState<StateTtl.Expiry> expiryState,
        @TimerId(EXPIRE) Timer expire) {
      if (!ttl.expired(expiryState, context.fireTimestamp().getMillis(), expire)) {
        return;
      }
      pending.clear();
      next.clear();
      expiryState.clear();
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
        client = null;
      }
    }

    private void apply(String symbol, long seq, PositionChange change) {
      DynamoDbClient ddb = client;
      if (ddb == null) {
        throw new IllegalStateException("DynamoDB client used before @Setup or after @Teardown");
      }
      try {
        if (change.getPosition() == null) {
          ddb.deleteItem(
              b ->
                  b.tableName(config.tableName())
                      .key(PositionsTable.key(change.getSymbol(), change.getStrategy())));
          deletes.inc();
        } else {
          String asOf = PositionsTable.time(change.getPosition().getAsOf());
          ddb.putItem(
              b ->
                  b.tableName(config.tableName())
                      .item(PositionsTable.item(change.getPosition()))
                      .conditionExpression(NOT_NEWER)
                      .expressionAttributeNames(Map.of("#as_of", PositionsTable.AS_OF))
                      .expressionAttributeValues(Map.of(":as_of", AttributeValue.fromS(asOf))));
          upserts.inc();
        }
      } catch (ConditionalCheckFailedException e) {
        stale.inc();
      } catch (ResourceNotFoundException e) {
        throw new IllegalStateException(
            "DynamoDB table "
                + config.describe()
                + " does not exist: create it first (PositionsTable.create or the infrastructure"
                + " stack)",
            e);
      } catch (SdkException e) {
        throw new IllegalStateException(
            "cannot "
                + (change.getPosition() == null ? "delete" : "write")
                + " the position of "
                + symbol
                + "/"
                + change.getStrategy()
                + " (change #"
                + seq
                + ") in DynamoDB table "
                + config.describe()
                + ": "
                + e.getMessage(),
            e);
      }
    }
  }
}
