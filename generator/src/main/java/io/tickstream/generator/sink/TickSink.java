package io.tickstream.generator.sink;

import java.io.IOException;

/**
 * Where the generator's records go: stdout, rolling files, Kafka or Kinesis.
 *
 * <p>A sink is used from one thread. {@link #send} may block to apply back-pressure. A sink never
 * drops a record on its own: records the destination refuses for a transient reason are retried; a
 * permanent failure is thrown from {@link #send}, {@link #flush} or {@link #close} naming the
 * destination and the reason.
 */
public interface TickSink extends AutoCloseable {

  /**
   * Sends one record.
   *
   * @param key the partition key (the symbol)
   * @param eventTimeMillis the record's event time, used by sinks that lay out files by time
   * @param line the JSON record, without a line terminator
   */
  void send(String key, long eventTimeMillis, String line) throws IOException;

  /** Blocks until every record sent so far is acknowledged by the destination. */
  void flush() throws IOException;

  /** Flushes and releases the destination. */
  @Override
  void close() throws IOException;

  /** Counters read by the progress line and the summary; safe to call from another thread. */
  SinkStats stats();

  /**
   * A short description of the destination for messages, e.g. {@code kafka 127.0.0.1:9092/ticks}.
   */
  String describe();
}
