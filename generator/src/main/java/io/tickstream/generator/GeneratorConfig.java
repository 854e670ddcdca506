package io.tickstream.generator;

import io.tickstream.generator.replay.ReplayConfig;
import io.tickstream.generator.sink.SinkSpec;
import io.tickstream.generator.sink.Sinks;
import java.nio.file.Path;
import java.time.Duration;
import javax.annotation.Nullable;

/**
 * Everything one {@code tickstream generate} run needs, checked and converted once from the command
 * line.
 *
 * @param simulation the market to simulate (for a replay: its start, bounds, pacing and faults)
 * @param replayFile a price history to replay instead of simulating, or null
 * @param replay how to read the replay file
 * @param ratePerSecond records per wall second at most, 0 for no limit
 * @param sink where to send records
 * @param sinkSettings settings of the sink
 * @param progressInterval wall time between progress lines on stderr, zero for none
 */
public record GeneratorConfig(
    Simulation simulation,
    @Nullable Path replayFile,
    ReplayConfig replay,
    double ratePerSecond,
    SinkSpec sink,
    Sinks.Settings sinkSettings,
    Duration progressInterval) {}
