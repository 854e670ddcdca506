package io.tickstream.pipeline.model;

import io.tickstream.tick.Tick;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.FieldValueGetter;
import org.apache.beam.sdk.schemas.GetterBasedSchemaProviderV2;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaProvider;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * One dataset of the lake: the registry every writer, reader and (later) catalog derives its layout
 * from.
 *
 * <p>A dataset is a directory under the lake root ({@link #name()}), a record class whose Beam
 * schema ({@link #schema()}, from {@code @DefaultSchema}) is the one definition of its columns, and
 * Hive-style partitions ({@link #partitionKeys()}) computed in UTC from one {@code DATETIME} field
 * of that schema ({@link #partitionField()}). The Parquet/Avro schema, the partition path of a
 * record and the dataset's {@link TupleTag} all follow from these.
 *
 * <p>Instances are the six constants; {@link #all()} lists them. They are serializable and
 * deserialize to the same constant.
 */
public final class Dataset<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Namespace of the Avro records written to Parquet. */
  public static final String AVRO_NAMESPACE = "io.tickstream.lake";

  private static final SchemaRegistry SCHEMAS = SchemaRegistry.createDefault();

  /** What {@link #batchesTag()} adds to the dataset's name. */
  static final String BATCHES_SUFFIX = "/batches";

  /** Every tick as parsed, by event time: {@code ticks/dt=YYYY-MM-DD/hour=HH/}. */
  public static final Dataset<Tick> TICKS =
      new Dataset<>(
          "ticks",
          "Every tick as parsed and deduplicated, by event time",
          Tick.class,
          new TupleTag<Tick>("ticks") {},
          new TupleTag<List<Tick>>("ticks" + BATCHES_SUFFIX) {},
          List.of(PartitionKey.DT, PartitionKey.HOUR),
          "timestamp",
          List.of("symbol"));

  /** One-minute bars, by window start: {@code bars_1m/dt=YYYY-MM-DD/}. */
  public static final Dataset<Bar> BARS_1M =
      new Dataset<>(
          "bars_1m",
          "One-minute OHLCV bars per symbol, by window start",
          Bar.class,
          new TupleTag<Bar>("bars_1m") {},
          new TupleTag<List<Bar>>("bars_1m" + BATCHES_SUFFIX) {},
          List.of(PartitionKey.DT),
          "window_start",
          List.of("symbol"));

  /** Crossover signals, by signal time: {@code signals/dt=YYYY-MM-DD/}. */
  public static final Dataset<Signal> SIGNALS =
      new Dataset<>(
          "signals",
          "Moving-average crossover signals, by signal time",
          Signal.class,
          new TupleTag<Signal>("signals") {},
          new TupleTag<List<Signal>>("signals" + BATCHES_SUFFIX) {},
          List.of(PartitionKey.DT),
          "ts",
          List.of("symbol", "side", "strategy"));

  /** Open-position snapshots, by mark time: {@code positions/dt=YYYY-MM-DD/}. */
  public static final Dataset<Position> POSITIONS =
      new Dataset<>(
          "positions",
          "Open-position snapshots marked at each bar close, by mark time",
          Position.class,
          new TupleTag<Position>("positions") {},
          new TupleTag<List<Position>>("positions" + BATCHES_SUFFIX) {},
          List.of(PartitionKey.DT),
          "as_of",
          List.of("symbol", "strategy"));

  /** Closed trades, by exit time: {@code trades/dt=YYYY-MM-DD/}. */
  public static final Dataset<Trade> TRADES =
      new Dataset<>(
          "trades",
          "Closed round-trip trades with their P&L, by exit time",
          Trade.class,
          new TupleTag<Trade>("trades") {},
          new TupleTag<List<Trade>>("trades" + BATCHES_SUFFIX) {},
          List.of(PartitionKey.DT),
          "exit_time",
          List.of("symbol", "strategy"));

  /** Rejected records, by their best known event time: {@code dead_letter/dt=YYYY-MM-DD/}. */
  public static final Dataset<DeadLetter> DEAD_LETTER =
      new Dataset<>(
          "dead_letter",
          "Records that could not become ticks, with the raw payload and the reason, by best known"
              + " event time",
          DeadLetter.class,
          new TupleTag<DeadLetter>("dead_letter") {},
          new TupleTag<List<DeadLetter>>("dead_letter" + BATCHES_SUFFIX) {},
          List.of(PartitionKey.DT),
          "event_time",
          List.of("source", "payload_encoding", "error_code", "step"));

  private static final List<Dataset<?>> ALL =
      List.of(TICKS, BARS_1M, SIGNALS, POSITIONS, TRADES, DEAD_LETTER);

  private static final Map<String, Dataset<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Dataset::name, Function.identity()));

  private final String name;
  private final String description;
  private final Class<T> type;
  private final TupleTag<T> tag;
  private final TupleTag<List<T>> batchesTag;
  private final Schema schema;
  private final List<PartitionKey> partitionKeys;
  private final String partitionField;
  private final List<String> dictionaryColumns;
  private final SerializableFunction<T, Row> toRow;
  private final SerializableFunction<Row, T> fromRow;

  /** The schema's getters, in field order; made here, so never serialized (see readResolve). */
  private final transient List<FieldValueGetter<T, Object>> getters;

  private final int partitionColumn;

  private Dataset(
      String name,
      String description,
      Class<T> type,
      TupleTag<T> tag,
      TupleTag<List<T>> batchesTag,
      List<PartitionKey> partitionKeys,
      String partitionField,
      List<String> dictionaryColumns) {
    this.name = name;
    this.description = description;
    this.type = type;
    this.tag = tag;
    this.batchesTag = batchesTag;
    this.partitionKeys = List.copyOf(partitionKeys);
    this.partitionField = partitionField;
    this.dictionaryColumns = List.copyOf(dictionaryColumns);
    try {
      this.schema = SCHEMAS.getSchema(type);
      this.toRow = SCHEMAS.getToRowFunction(type);
      this.fromRow = SCHEMAS.getFromRowFunction(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(type.getName() + " has no Beam schema (@DefaultSchema)", e);
    }
    if (!schema.hasField(partitionField)) {
      throw new IllegalStateException(
          name + ": partition field " + partitionField + " is not in the schema " + schema);
    }
    Schema.FieldType fieldType = schema.getField(partitionField).getType();
    if (fieldType.getTypeName() != Schema.TypeName.DATETIME || fieldType.getNullable()) {
      throw new IllegalStateException(
          name + ": partition field " + partitionField + " must be a non-null DATETIME");
    }
    for (String column : dictionaryColumns) {
      if (!schema.hasField(column)) {
        throw new IllegalStateException(
            name + ": dictionary column " + column + " is not in the schema " + schema);
      }
    }
    this.partitionColumn = schema.indexOf(partitionField);
    this.getters = gettersOf(type, schema);
  }

  /** The getters of {@code type}'s schema provider, which reads fields without making a Row. */
  private static <T> List<FieldValueGetter<T, Object>> gettersOf(Class<T> type, Schema schema) {
    DefaultSchema annotation = type.getAnnotation(DefaultSchema.class);
    SchemaProvider provider;
    try {
      provider = annotation.value().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | NullPointerException e) {
      throw new IllegalStateException(type.getName() + ": no usable @DefaultSchema provider", e);
    }
    if (!(provider instanceof GetterBasedSchemaProviderV2)) {
      throw new IllegalStateException(
          type.getName() + ": schema provider " + provider + " has no field getters");
    }
    return ((GetterBasedSchemaProviderV2) provider)
        .fieldValueGetters(TypeDescriptor.of(type), schema);
  }

  /** All datasets, in a fixed order. */
  public static List<Dataset<?>> all() {
    return ALL;
  }

  /**
   * The dataset called {@code name}, e.g. {@code bars_1m}.
   *
   * @throws IllegalArgumentException naming the known datasets
   */
  public static Dataset<?> named(String name) {
    Dataset<?> dataset = BY_NAME.get(name);
    if (dataset == null) {
      throw new IllegalArgumentException(
          "no dataset '" + name + "'; known: " + ALL.stream().map(Dataset::name).toList());
    }
    return dataset;
  }

  /** The dataset's directory under the lake root, e.g. {@code bars_1m}. */
  public String name() {
    return name;
  }

  /** What the dataset holds, in one line: the catalog's table comment. */
  public String description() {
    return description;
  }

  /** The record class. */
  public Class<T> type() {
    return type;
  }

  /** The one definition of the dataset's columns: the record class's Beam schema. */
  public Schema schema() {
    return schema;
  }

  /** Partition columns, outermost first: {@code [dt, hour]} for ticks, {@code [dt]} otherwise. */
  public List<PartitionKey> partitionKeys() {
    return partitionKeys;
  }

  /** The non-null {@code DATETIME} schema field whose UTC value decides a record's partition. */
  public String partitionField() {
    return partitionField;
  }

  /**
   * The columns with few distinct values (symbols, sides, strategies, error codes), which the
   * Parquet files dictionary-encode. Every other column is written plain: ids, times and prices
   * rarely repeat within a file, and for ticks a dictionary of them cost two thirds of the write
   * for files no smaller after Snappy.
   */
  public List<String> dictionaryColumns() {
    return dictionaryColumns;
  }

  /** Converts a record to a {@link Row} of {@link #schema()}; serializable, for use in DoFns. */
  public SerializableFunction<T, Row> toRowFunction() {
    return toRow;
  }

  /** Converts a {@link Row} of {@link #schema()} back to a record; serializable. */
  public SerializableFunction<Row, T> fromRowFunction() {
    return fromRow;
  }

  /**
   * The value of the schema's field number {@code column} in {@code record}, as a {@link Row} of
   * the record would hold it.
   */
  public @Nullable Object column(T record, int column) {
    return getters.get(column).get(record);
  }

  /** A record's partition time: its {@link #partitionField()}. */
  public Instant partitionTime(T record) {
    return ((ReadableInstant) column(record, partitionColumn)).toInstant();
  }

  /** The partition directory of a partition time, e.g. {@code dt=2025-01-02/hour=14}. */
  public String partitionPath(Instant time) {
    return partitionKeys.stream().map(k -> k.segment(time)).collect(Collectors.joining("/"));
  }

  /** The partition directory of a record, e.g. {@code dt=2025-01-02/hour=14}. */
  public String partitionPath(T record) {
    return partitionPath(partitionTime(record));
  }

  /**
   * The Avro schema of the Parquet files, derived from {@link #schema()}: record {@link
   * #AVRO_NAMESPACE}.{@code <name>}, same field names and order, {@code DATETIME} as {@code long}
   * with logical type {@code timestamp-millis} (UTC), nullable fields as unions with {@code null}.
   */
  public org.apache.avro.Schema avroSchema() {
    return AvroUtils.toAvroSchema(schema, name, AVRO_NAMESPACE);
  }

  /**
   * The tag of this dataset's collection wherever a step emits it (e.g. {@code ProcessTicks}) and
   * in the {@code WriteLake} input; it carries the record type, so coders can be inferred.
   */
  public TupleTag<T> tag() {
    return tag;
  }

  /**
   * The tag of this dataset's collection when it comes as batches of records (as the unique ticks
   * leave {@code ComputeBars}), e.g. {@code ticks/batches}.
   */
  public TupleTag<List<T>> batchesTag() {
    return batchesTag;
  }

  @Override
  public String toString() {
    return name;
  }

  private Object readResolve() throws ObjectStreamException {
    return named(name);
  }
}
