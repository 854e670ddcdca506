package io.tickstream.pipeline.sink.datalake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;
import org.apache.avro.Schema;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Writes records of a flat Beam schema into one Snappy-compressed Parquet file, with the schema
 * Parquet's Avro writer gives the matching Avro schema ({@link ColumnWriteSupport}). The file
 * schema and an empty Hadoop configuration are made once per JVM: FileIO clones its sink for each
 * file, and Beam's {@code ParquetIO.sink} parsed its schema and built a Hadoop configuration,
 * reading the default resources from the classpath's jars, every time, a tenth of a streaming job's
 * CPU at one file a minute per partition.
 */
final class ParquetFileSink<T> implements FileIO.Sink<T> {
  private static final long serialVersionUID = 1L;

  /**
   * Nothing in the configuration is read: the writer gets every setting from its builder. Shared by
   * every writer, so never set through the builder's {@code config(key, value)}, the only thing in
   * the write path that changes it.
   */
  private static final Configuration NO_HADOOP_DEFAULTS = new Configuration(false);

  /** File schema and footer by Avro schema JSON. */
  private static final Map<String, FileSchema> FILE_SCHEMAS = new ConcurrentHashMap<>();

  /**
   * Parquet decides after a column's first page whether its dictionary pays, and writes plain
   * values from then on if not. With the default 1 MiB pages a minute's file never finishes a first
   * page, so a dictionary column was dictionary-encoded to the end whatever its values; 64 KiB
   * pages let the check happen early.
   */
  static final int PAGE_BYTES = 64 * 1024;

  private final org.apache.beam.sdk.schemas.Schema schema;
  private final ColumnValues<T> values;
  private final List<String> dictionaryColumns;
  private final String avroSchemaJson;
  private transient @Nullable ParquetWriter<T> writer;

  /**
   * @param schema the records' flat Beam schema
   * @param values reads a record's values by their position in {@code schema}
   * @param avroSchema the Avro schema {@code schema} converts to, whose Parquet form the files have
   * @param dictionaryColumns the columns to dictionary-encode; the others are written plain
   */
  ParquetFileSink(
      org.apache.beam.sdk.schemas.Schema schema,
      ColumnValues<T> values,
      Schema avroSchema,
      List<String> dictionaryColumns) {
    ColumnWriteSupport.checkSupported(schema);
    this.schema = schema;
    this.values = values;
    this.dictionaryColumns = List.copyOf(dictionaryColumns);
    this.avroSchemaJson = avroSchema.toString();
  }

  /** A sink of {@link Row}s of {@code schema}. */
  static ParquetFileSink<Row> ofRows(org.apache.beam.sdk.schemas.Schema schema, Schema avroSchema) {
    return new ParquetFileSink<>(schema, ColumnValues.ofRows(), avroSchema, List.of());
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    FileSchema file = FILE_SCHEMAS.computeIfAbsent(avroSchemaJson, FileSchema::of);
    Builder<T> builder =
        new Builder<>(
                new ChannelOutputFile(channel),
                new ColumnWriteSupport<>(schema, values, file.parquet, file.footer))
            .withConf(NO_HADOOP_DEFAULTS)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withPageSize(PAGE_BYTES)
            .withDictionaryEncoding(false);
    for (String column : dictionaryColumns) {
      builder.withDictionaryEncoding(column, true);
    }
    writer = builder.build();
  }

  @Override
  public void write(T record) throws IOException {
    openWriter().write(record);
  }

  /**
   * Bytes of the open file so far, written or still buffered in its row group: about its size if it
   * were closed now.
   */
  long dataSize() {
    return openWriter().getDataSize();
  }

  /** Writes the footer; FileIO closes the channel itself. */
  @Override
  public void flush() throws IOException {
    openWriter().close();
  }

  private ParquetWriter<T> openWriter() {
    if (writer == null) {
      throw new IllegalStateException("the Parquet sink was not opened");
    }
    return writer;
  }

  /**
   * The Parquet schema Parquet's Avro writer derives from an Avro schema, and the footer entry
   * through which Avro readers find that schema.
   */
  private static final class FileSchema {
    final MessageType parquet;
    final Map<String, String> footer;

    private FileSchema(MessageType parquet, Map<String, String> footer) {
      this.parquet = parquet;
      this.footer = footer;
    }

    static FileSchema of(String avroSchemaJson) {
      Schema avro = new Schema.Parser().parse(avroSchemaJson);
      return new FileSchema(
          new AvroSchemaConverter(NO_HADOOP_DEFAULTS).convert(avro),
          Map.of("parquet.avro.schema", avro.toString()));
    }
  }

  /** A writer builder for {@link ColumnWriteSupport}. */
  private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final ColumnWriteSupport<T> support;

    Builder(OutputFile file, ColumnWriteSupport<T> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /** A Parquet output file over the channel FileIO opened; Parquet only appends to it. */
  private static final class ChannelOutputFile implements OutputFile {
    private final OutputStream out;

    ChannelOutputFile(WritableByteChannel channel) {
      this.out = Channels.newOutputStream(channel);
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new CountingStream(out);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return new CountingStream(out);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /** Counts the bytes written, which Parquet needs for its footer's offsets. */
  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    /** The channel belongs to FileIO, which closes it after {@link ParquetFileSink#flush}. */
    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
