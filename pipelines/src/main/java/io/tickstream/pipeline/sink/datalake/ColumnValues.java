package io.tickstream.pipeline.sink.datalake;

import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.beam.sdk.values.Row;

/**
 * Reads a record's values by their position in a flat Beam schema, without making a {@link Row} of
 * each record. Values are as a {@link Row} holds them: {@code String}, {@code Double}, {@code
 * Long}, {@code Integer}, {@code Boolean}, a Joda {@code ReadableInstant} for {@code DATETIME}, or
 * null.
 */
@FunctionalInterface
interface ColumnValues<T> extends Serializable {
  /** The value of the schema's field number {@code column} in {@code record}. */
  @Nullable
  Object get(T record, int column);

  /** Rows, read as themselves. */
  static ColumnValues<Row> ofRows() {
    return Row::getValue;
  }
}
