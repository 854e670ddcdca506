package io.tickstream.cli;

import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Every flag of {@code tickstream stream} beside the simulation's and the runners': the small
 * interfaces it combines, each a group in {@code --help}. Turned once into a {@code StreamConfig}
 * by {@link StreamConfigFactory}; nothing else reads them.
 */
public interface StreamOptions
    extends SourceOptions,
        EventTimeOptions,
        StrategyOptions,
        LakeOptions,
        PositionsTableOptions,
        DeadLetterMetricsOptions,
        StreamingOptions {}
