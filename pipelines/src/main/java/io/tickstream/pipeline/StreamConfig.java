package io.tickstream.pipeline;

import io.tickstream.generator.Durations;
import io.tickstream.generator.GeneratorConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.options.TickstreamOptions;
import io.tickstream.pipeline.sink.dynamodb.PositionsTableConfig;
import io.tickstream.pipeline.sink.lake.LakeConfig;
import io.tickstream.pipeline.transforms.StrategyConfig;
import java.net.URI;
import javax.annotation.Nullable;
import org.joda.time.Duration;

/**
 * The streaming job's settings, checked once and frozen: DoFns and transforms get these values,
 * never the options object.
 *
 * @param source where ticks come from
 * @param generator the simulation, when the source is the generator; else null
 * @param generatorSplits splits of the generator source
 * @param dedupWindow event time within which a repeated event id is dropped
 * @param maxOutOfOrderness bounded out-of-orderness of event time
 * @param idleTimeout wall time after which an idle partition or shard stops holding the watermark
 * @param strategy the crossover strategy and trading rules
 * @param lake where and how the lake is written
 * @param kinesisEndpoint endpoint override for Kinesis, or null
 * @param region AWS region
 * @param positionsTable the DynamoDB table of open positions, or null for none
 */
public record StreamConfig(
    SourceSpec source,
    @Nullable GeneratorConfig generator,
    int generatorSplits,
    Duration dedupWindow,
    Duration maxOutOfOrderness,
    Duration idleTimeout,
    StrategyConfig strategy,
    LakeConfig lake,
    @Nullable URI kinesisEndpoint,
    String region,
    @Nullable PositionsTableConfig positionsTable) {

  /**
   * Converts and checks the options.
   *
   * @throws IllegalArgumentException whose message starts with the flag, e.g. {@code
   *     --max-out-of-orderness: '5 parsecs' is not a duration ...}
   */
  public static StreamConfig from(TickstreamOptions o, @Nullable GeneratorConfig generator) {
    SourceSpec source = check("--source", o.getSource(), SourceSpec::parse);
    Duration dedup = duration("--dedup-window", o.getDedupWindow(), false);
    Duration ooo = duration("--max-out-of-orderness", o.getMaxOutOfOrderness(), true);
    Duration idle = duration("--idle-timeout", o.getIdleTimeout(), false);
    StrategyConfig strategy =
        check(
            "--fast/--slow/--notional/--fee-bps",
            o.getFast() + "/" + o.getSlow() + "/" + o.getNotional() + "/" + o.getFeeBps(),
            v -> new StrategyConfig(o.getFast(), o.getSlow(), o.getNotional(), o.getFeeBps()));
    LakeConfig lake = LakeConfig.fromOptions(o);
    int splits = o.getGeneratorSplits();
    if (splits < 1) {
      throw new IllegalArgumentException("--generator-splits: '" + splits + "' must be 1 or more");
    }
    URI endpoint =
        o.getKinesisEndpoint() == null
            ? null
            : check("--kinesis-endpoint", o.getKinesisEndpoint(), URI::create);
    if (source.type() == SourceSpec.Type.GENERATOR && generator == null) {
      throw new IllegalArgumentException("--source: 'generator' needs the simulation settings");
    }
    return new StreamConfig(
        source,
        source.type() == SourceSpec.Type.GENERATOR ? generator : null,
        splits,
        dedup,
        ooo,
        idle,
        strategy,
        lake,
        endpoint,
        o.getRegion(),
        positionsTable(o));
  }

  private static @Nullable PositionsTableConfig positionsTable(TickstreamOptions o) {
    if (o.getPositionsTable() == null) {
      return null;
    }
    PositionsTableConfig table =
        check(
            "--positions-table",
            o.getPositionsTable(),
            t -> PositionsTableConfig.of(t, o.getRegion()));
    return o.getDynamodbEndpoint() == null
        ? table
        : table.withEndpoint(check("--dynamodb-endpoint", o.getDynamodbEndpoint(), URI::create));
  }

  private static Duration duration(String flag, String value, boolean zeroAllowed) {
    java.time.Duration d = check(flag, value, Durations::parse);
    if (d.isZero() && !zeroAllowed) {
      throw new IllegalArgumentException(flag + ": '" + value + "' must be positive");
    }
    return Duration.millis(d.toMillis());
  }

  private static <T> T check(String flag, String value, java.util.function.Function<String, T> f) {
    try {
      return f.apply(value);
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new IllegalArgumentException(
          flag + ": " + (why.startsWith("'") ? why : "'" + value + "' " + why), e);
    }
  }
}
