package io.tickstream.generator.sink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes records to one Kafka topic, keyed by symbol, as UTF-8 strings.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Idempotent</b> within one run: the producer has {@code enable.idempotence=true} and
 *       {@code acks=all}, so a batch the client retries after a lost acknowledgement is written
 *       once.
 *   <li><b>Ordered per symbol</b>: the key is the symbol, so all records of a symbol go to one
 *       partition; idempotence with at most 5 requests in flight keeps their send order across
 *       retries.
 *   <li><b>At-least-once across restarts</b>: a new process is a new producer, so records that were
 *       sent again after a restart may be written twice. Consumers deduplicate by {@code event_id}.
 * </ul>
 *
 * <p>Sends are asynchronous; {@link #send} blocks only when the producer's buffer ({@code
 * buffer.memory}) is full, which is the back-pressure, or while it first fetches the topic's
 * metadata, each for at most {@code max.block.ms}. Transient errors are retried by the Kafka client
 * itself (up to {@code delivery.timeout.ms}, two minutes); those retried records are read from the
 * client's {@code record-retry-total} metric and added to {@link SinkStats#retries()} and {@link
 * SinkStats#errors()}. A record that fails for good is counted in {@link SinkStats#errors()}, and
 * the first such failure is thrown, as an {@link IOException} naming the destination, from the next
 * {@link #send}, {@link #flush} or {@link #close} and from every call after it: the sink does not
 * go on after losing a record.
 *
 * <p>Used from one thread, like every {@link TickSink}; {@link #stats()} may be read from another.
 * Parsing a {@code kafka:HOST:PORT/TOPIC} argument is not this class's job.
 */
public final class KafkaSink implements TickSink {
  /** How long {@link #close()} waits for the producer's I/O thread after flushing. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final String destination;
  private final Producer<String, String> producer;
  private final SinkStats stats = new SinkStats();
  private final AtomicLong failedRecords = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  // One callback for every record: no allocation per send beyond the ProducerRecord.
  private final Callback callback = this::onCompletion;
  private final @Nullable Metric retryTotal;
  private long retriesSeen;
  private boolean closed;

  /**
   * Creates the producer; it connects lazily, on the first send.
   *
   * @param bootstrapServers {@code host:port[,host:port...]}
   * @param topic the topic every record goes to
   * @param extraProperties producer settings applied after, and so overriding, this sink's defaults
   *     (for example {@code max.block.ms} or security settings); may be empty. Serializers are
   *     always strings.
   */
  public KafkaSink(String bootstrapServers, String topic, Map<String, Object> extraProperties) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.destination = "kafka " + bootstrapServers + "/" + topic;
    Map<String, Object> config = producerConfig(bootstrapServers);
    config.putAll(extraProperties);
    try {
      this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    } catch (KafkaException e) {
      throw new IllegalArgumentException(destination + ": cannot create the producer: " + e, e);
    }
    this.retryTotal = findMetric(producer, "producer-metrics", "record-retry-total");
  }

  /** The producer defaults of this sink, before the caller's extra properties. */
  static Map<String, Object> producerConfig(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    // Idempotence keeps per-partition order with up to 5 requests in flight.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // lz4-java comes with kafka-clients; JSON ticks compress well and lz4 costs little CPU.
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return config;
  }

  @Override
  public void send(String key, long eventTimeMillis, String line) throws IOException {
    checkOpen();
    throwIfFailed();
    try {
      producer.send(new ProducerRecord<>(topic, key, line), callback);
    } catch (InterruptException e) {
      throw interrupted("sending", e);
    } catch (KafkaException e) {
      // Thrown, not passed to the callback: the record never entered the producer.
      stats.addErrors(1);
      failedRecords.incrementAndGet();
      firstFailure.compareAndSet(null, e);
      throwIfFailed();
    }
  }

  @Override
  public void flush() throws IOException {
    checkOpen();
    flushProducer();
    throwIfFailed();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flushProducer();
    } finally {
      producer.close(CLOSE_TIMEOUT);
      refreshRetries();
    }
    throwIfFailed();
  }

  @Override
  public SinkStats stats() {
    refreshRetries();
    return stats;
  }

  @Override
  public String describe() {
    return destination;
  }

  private void onCompletion(RecordMetadata metadata, @Nullable Exception e) {
    // Runs on the producer's I/O thread.
    if (e == null) {
      stats.addAcknowledged(1);
    } else {
      stats.addErrors(1);
      failedRecords.incrementAndGet();
      firstFailure.compareAndSet(null, e);
    }
  }

  private void flushProducer() throws IOException {
    try {
      producer.flush();
    } catch (InterruptException e) {
      throw interrupted("flushing", e);
    } finally {
      refreshRetries();
    }
  }

  private void throwIfFailed() throws IOException {
    Exception cause = firstFailure.get();
    if (cause != null) {
      // A new exception per call: try-with-resources cannot suppress an exception into itself.
      throw new IOException(
          destination
              + ": "
              + failedRecords.get()
              + " record(s) not delivered; first failure: "
              + cause,
          cause);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(destination + ": sink is closed");
    }
  }

  /** Whether the client's retry metric was found, so {@link SinkStats#retries()} is live. */
  boolean countsRetries() {
    return retryTotal != null;
  }

  private InterruptedIOException interrupted(String what, InterruptException e) {
    InterruptedIOException io = new InterruptedIOException(destination + ": interrupted " + what);
    io.initCause(e);
    return io;
  }

  /** Moves the client's count of retried records into {@link #stats}, once per record. */
  private synchronized void refreshRetries() {
    if (retryTotal == null) {
      return;
    }
    Object value = retryTotal.metricValue();
    if (value instanceof Number) {
      long total = ((Number) value).longValue();
      long delta = total - retriesSeen;
      if (delta > 0) {
        retriesSeen = total;
        stats.addRetries(delta);
        stats.addErrors(delta);
      }
    }
  }

  private static @Nullable Metric findMetric(
      Producer<String, String> producer, String group, String name) {
    for (Map.Entry<MetricName, ? extends Metric> m : producer.metrics().entrySet()) {
      if (m.getKey().group().equals(group) && m.getKey().name().equals(name)) {
        return m.getValue();
      }
    }
    return null;
  }
}
