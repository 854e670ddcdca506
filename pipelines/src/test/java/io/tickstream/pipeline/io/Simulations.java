package io.tickstream.pipeline.io;

import io.tickstream.generator.Simulation;
import java.util.function.UnaryOperator;

/** Simulations for the source tests: the first N symbols, as fast as possible. */
final class Simulations {
  private Simulations() {}

  /** The first {@code symbols} instruments, seeded, unpaced, unbounded, without faults. */
  static Simulation.Builder fast(long seed, int symbols) {
    return Simulation.builder()
        .setSeed(seed)
        .setFirstSymbols(symbols)
        .setSpeed(Double.POSITIVE_INFINITY);
  }

  /** {@code config} with its simulation changed by {@code change}. */
  static GeneratorSourceConfig with(
      GeneratorSourceConfig config, UnaryOperator<Simulation.Builder> change) {
    return config.withSimulation(change.apply(config.simulation().toBuilder()).build());
  }
}
