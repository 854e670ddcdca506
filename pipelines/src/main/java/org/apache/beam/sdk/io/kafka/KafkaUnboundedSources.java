package org.apache.beam.sdk.io.kafka;

import org.apache.beam.sdk.io.UnboundedSource;

/**
 * The {@link UnboundedSource} behind a {@link KafkaIO.Read}, which KafkaIO keeps package-private:
 * the source its legacy read ({@code Read.from(source)}, the one Beam picks on Flink) applies,
 * for a reader that hands its records out in batches ({@code
 * io.tickstream.pipeline.io.ReadKafkaTicks}).
 * This class is in KafkaIO's package only to reach {@code makeSource()}; a Beam upgrade that moves
 * it fails the build here, not a job at run time.
 */
public final class KafkaUnboundedSources {
  private KafkaUnboundedSources() {}

  /**
   * The source {@code read} reads, split by the runner into one reader per set of partitions.
   * {@code read} must have its key and value coders set ({@code withKeyDeserializerAndCoder}), as
   * KafkaIO's own expansion sets them before it makes the source.
   */
  public static <K, V> UnboundedSource<KafkaRecord<K, V>, KafkaCheckpointMark> of(
      KafkaIO.Read<K, V> read) {
    if (read.getKeyCoder() == null || read.getValueCoder() == null) {
      throw new IllegalArgumentException(
          "the Kafka read needs its key and value coders (withKeyDeserializerAndCoder and"
              + " withValueDeserializerAndCoder) before its source is made");
    }
    return read.makeSource();
  }
}
