package io.tickstream.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The latest values of tickstream's metrics while a job runs in this JVM, as Flink's metric
 * reporter sees them ({@link FlinkJobs.Reporter}). Read by the progress line of an embedded run and
 * by the pipeline benchmark.
 */
public final class LiveMetrics {
  /** Suppliers per metric identifier (operator scope + name); summed per metric name on read. */
  private static final Map<String, LongSupplier> COUNTERS = new ConcurrentHashMap<>();

  private static final Map<String, LongSupplier> WATERMARKS = new ConcurrentHashMap<>();

  private LiveMetrics() {}

  static void addCounter(String identifier, LongSupplier value) {
    COUNTERS.put(identifier, value);
  }

  static void addWatermark(String identifier, LongSupplier value) {
    WATERMARKS.put(identifier, value);
  }

  public static void clear() {
    COUNTERS.clear();
    WATERMARKS.clear();
  }

  /** Sum over every operator and subtask of the counter whose name ends with {@code name}. */
  public static long counter(String name) {
    long sum = 0;
    for (Map.Entry<String, LongSupplier> e : COUNTERS.entrySet()) {
      if (e.getKey().endsWith(name)) {
        sum += e.getValue().getAsLong();
      }
    }
    return sum;
  }

  /**
   * The lowest input watermark of the operators whose identifier contains {@code step}, or null.
   */
  static Long watermark(String step) {
    Long min = null;
    for (Map.Entry<String, LongSupplier> e : WATERMARKS.entrySet()) {
      if (e.getKey().contains(step)) {
        long v = e.getValue().getAsLong();
        if (v > Long.MIN_VALUE && (min == null || v < min)) {
          min = v;
        }
      }
    }
    return min;
  }
}
