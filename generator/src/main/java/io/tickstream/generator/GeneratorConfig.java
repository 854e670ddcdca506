package io.tickstream.generator;

import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.generator.replay.ReplayConfig;
import io.tickstream.generator.sink.SinkSpec;
import io.tickstream.generator.sink.Sinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Everything one generator run needs, checked and converted once from the command line.
 *
 * @param seed the seed all randomness derives from
 * @param symbols instruments to simulate (ignored by a replay)
 * @param startMillis simulated time of the first tick, epoch millis
 * @param ticksPerMinute ticks per symbol per simulated minute
 * @param speed simulated time per wall time; infinity for as fast as possible
 * @param ratePerSecond records per wall second at most, 0 for no limit
 * @param maxTicks ticks to produce at most, 0 for no limit
 * @param duration simulated time to cover, zero for no limit
 * @param replayFile a price history to replay instead of simulating, or null
 * @param replay how to read the replay file
 * @param faults faults to inject on purpose
 * @param sink where to send records
 * @param sinkSettings settings of the sink
 * @param progressInterval wall time between progress lines on stderr, zero for none
 */
public record GeneratorConfig(
    long seed,
    List<SymbolProfile> symbols,
    long startMillis,
    int ticksPerMinute,
    double speed,
    double ratePerSecond,
    long maxTicks,
    Duration duration,
    @Nullable Path replayFile,
    ReplayConfig replay,
    FaultConfig faults,
    SinkSpec sink,
    Sinks.Settings sinkSettings,
    Duration progressInterval) {

  public GeneratorConfig {
    symbols = List.copyOf(symbols);
  }
}
