package io.tickstream.pipeline.io;

import com.google.auto.value.AutoValue;
import io.tickstream.generator.Simulation;
import java.io.Serializable;
import java.time.Duration;

/**
 * What {@link ReadGenerator} reads: the {@link Simulation} ({@code tickstream generate}'s, from the
 * same flags), how far behind its latest event time a split's watermark stays, and the number of
 * splits. One immutable, serializable value the source carries to the workers.
 */
@AutoValue
public abstract class GeneratorSourceConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Splits of {@link #of} when there are enough symbols. */
  public static final int DEFAULT_SPLITS = 4;

  /** The market, its bounds, its pacing and its faults. */
  public abstract Simulation simulation();

  /** How far the watermark of a split trails the latest event time it emitted; zero or more. */
  public abstract Duration maxOutOfOrderness();

  /**
   * The number of source splits, 1 to the number of symbols; fixed here rather than by the runner
   * so that the records do not depend on the parallelism.
   */
  public abstract int splits();

  abstract Builder toBuilder();

  /**
   * The simulation read in {@code min(}{@value #DEFAULT_SPLITS}{@code , symbols)} splits, with a
   * watermark right at the latest event time.
   */
  public static GeneratorSourceConfig of(Simulation simulation) {
    return new AutoValue_GeneratorSourceConfig.Builder()
        .setSimulation(simulation)
        .setMaxOutOfOrderness(Duration.ZERO)
        .setSplits(Math.min(DEFAULT_SPLITS, simulation.symbols().size()))
        .build();
  }

  public GeneratorSourceConfig withSimulation(Simulation simulation) {
    return toBuilder().setSimulation(simulation).build();
  }

  public GeneratorSourceConfig withMaxOutOfOrderness(Duration maxOutOfOrderness) {
    return toBuilder().setMaxOutOfOrderness(maxOutOfOrderness).build();
  }

  /** At most {@code splits}: a split has at least one symbol. */
  public GeneratorSourceConfig withSplits(int splits) {
    return toBuilder().setSplits(splits).build();
  }

  /** Builds a config; {@link #build} checks the fields together. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSimulation(Simulation simulation);

    abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    abstract Builder setSplits(int splits);

    abstract GeneratorSourceConfig autoBuild();

    GeneratorSourceConfig build() {
      GeneratorSourceConfig c = autoBuild();
      int symbols = c.simulation().symbols().size();
      if (c.splits() < 1 || c.splits() > symbols) {
        throw new IllegalArgumentException(
            "splits must be 1 to the number of symbols (" + symbols + "), got " + c.splits());
      }
      if (c.maxOutOfOrderness().isNegative()) {
        throw new IllegalArgumentException(
            "max out-of-orderness must not be negative, got " + c.maxOutOfOrderness());
      }
      return c;
    }
  }
}
