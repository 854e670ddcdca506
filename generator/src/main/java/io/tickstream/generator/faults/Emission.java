package io.tickstream.generator.faults;

import javax.annotation.Nullable;

/**
 * One record to send, with what the fault injector did to it.
 *
 * @param key partition key (the symbol)
 * @param eventTimeMillis event time of the tick the record carries
 * @param line the JSON record, without a line terminator
 * @param eventId the tick's event id
 * @param badKind how the record was broken, or null for a valid record
 * @param duplicate true when this is a resend of a record already sent
 * @param late true when the record was held back by the configured late delay
 */
public record Emission(
    String key,
    long eventTimeMillis,
    String line,
    String eventId,
    @Nullable BadRecordKind badKind,
    boolean duplicate,
    boolean late) {}
