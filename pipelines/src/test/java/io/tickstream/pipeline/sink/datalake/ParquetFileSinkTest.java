package io.tickstream.pipeline.sink.datalake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes rows of every supported type through {@link ParquetFileSink} and reads them back. */
class ParquetFileSinkTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addStringField("id")
          .addDoubleField("price")
          .addInt64Field("volume")
          .addInt32Field("count")
          .addBooleanField("flag")
          .addDateTimeField("ts")
          .addNullableField("cap", FieldType.DOUBLE)
          .addNullableField("note", FieldType.STRING)
          .build();

  @TempDir Path dir;

  @Test
  void rowsReadBackAsTheAvroWriterWouldHaveWrittenThem() throws Exception {
    List<Row> rows =
        rows(
            i ->
                new Object[] {
                  "id-" + i,
                  100 + i / 100.0,
                  (long) i * 1_000_000_000L,
                  i,
                  i % 2 == 0,
                  new Instant(1_700_000_000_000L + i),
                  i % 3 == 0 ? null : i * 1.5,
                  i % 5 == 0 ? null : "n" + (i % 7)
                });
    Path file = write(rows);

    org.apache.avro.Schema avroSchema = AvroUtils.toAvroSchema(SCHEMA, "Row", "test");
    try (ParquetFileReader footer = ParquetFileReader.open(local(file))) {
      assertEquals(
          new org.apache.parquet.avro.AvroSchemaConverter().convert(avroSchema),
          footer.getFileMetaData().getSchema());
      assertEquals(
          avroSchema.toString(),
          footer.getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema"));
    }
    List<GenericRecord> read = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(local(file)).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        read.add(r);
      }
    }
    assertEquals(rows.size(), read.size());
    for (int i = 0; i < rows.size(); i++) {
      Row expected = rows.get(i);
      GenericRecord actual = read.get(i);
      assertEquals(expected.getString("id"), actual.get("id").toString());
      assertEquals(expected.getDouble("price"), actual.get("price"));
      assertEquals(expected.getInt64("volume"), actual.get("volume"));
      assertEquals(expected.getInt32("count"), actual.get("count"));
      assertEquals(expected.getBoolean("flag"), actual.get("flag"));
      assertEquals(expected.getDateTime("ts").getMillis(), actual.get("ts"));
      assertEquals(expected.getDouble("cap"), actual.get("cap"));
      if (expected.getString("note") == null) {
        assertNull(actual.get("note"));
      } else {
        assertEquals(expected.getString("note"), actual.get("note").toString());
      }
    }
  }

  @Test
  void onlyTheDictionaryColumnsAreDictionaryEncoded() throws Exception {
    // Few distinct values in every column: only the dictionary columns may use a dictionary.
    List<Row> rows =
        rows(
            i ->
                new Object[] {
                  "id-" + i,
                  100.0 + i % 10,
                  (long) i % 3,
                  i % 2,
                  true,
                  new Instant(1_700_000_000_000L),
                  null,
                  "n" + (i % 7)
                });
    ParquetFileSink<Row> sink =
        new ParquetFileSink<>(
            SCHEMA,
            ColumnValues.ofRows(),
            AvroUtils.toAvroSchema(SCHEMA, "Row", "test"),
            List.of("note", "count"));
    Path file = write(sink, rows);
    try (ParquetFileReader footer = ParquetFileReader.open(local(file))) {
      for (ColumnChunkMetaData column : footer.getFooter().getBlocks().get(0).getColumns()) {
        String name = column.getPath().toDotString();
        boolean dictionary = column.hasDictionaryPage();
        assertEquals(name.equals("note") || name.equals("count"), dictionary, name);
      }
    }
  }

  @Test
  void sinksOpenedAtOnceKeepTheirOwnDictionaryColumns() throws Exception {
    // Parquet up to 1.17 kept the last-built writer's settings in a JVM-wide values-writer factory,
    // so a writer built on another thread at the same moment could take its dictionary columns:
    // the same rows then came out dictionary-encoded from one runner and plain from another.
    List<Row> rows = rows(i -> new Object[] {"id", 1.0, 1L, 1, true, new Instant(0), null, "n"});
    org.apache.avro.Schema avroSchema = AvroUtils.toAvroSchema(SCHEMA, "Row", "test");
    int threads = 4;
    int filesPerThread = 100;
    CyclicBarrier together = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> wrong = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean dictionary = t % 2 == 0;
        wrong.add(
            pool.submit(
                () -> {
                  List<String> mismatches = new ArrayList<>();
                  for (int f = 0; f < filesPerThread; f++) {
                    together.await(1, TimeUnit.MINUTES);
                    ParquetFileSink<Row> sink =
                        new ParquetFileSink<>(
                            SCHEMA,
                            ColumnValues.ofRows(),
                            avroSchema,
                            dictionary ? List.of("note") : List.of());
                    Path file = write(sink, rows.subList(0, 10));
                    if (hasDictionary(file, "note") != dictionary) {
                      String change = dictionary ? " lost" : " got";
                      mismatches.add(file.getFileName() + change + " a dictionary");
                    }
                  }
                  return mismatches;
                }));
      }
      for (Future<List<String>> mismatches : wrong) {
        assertEquals(List.of(), mismatches.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aNullInANonNullableColumnNamesTheColumn() {
    Row row = Row.withSchema(SCHEMA).attachValues("x", 1.0, 1L, 1, true, null, null, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> write(List.of(row)));
    assertTrue(e.getMessage().contains("column ts"), e.getMessage());
  }

  @Test
  void anUnsupportedTypeFailsWhenTheSinkIsMade() {
    Schema nested = Schema.builder().addArrayField("tags", FieldType.STRING).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParquetFileSink.ofRows(nested, AvroUtils.toAvroSchema(nested, "Row", "test")));
    assertTrue(e.getMessage().contains("lake column tags"), e.getMessage());
  }

  /** Whether {@code column} of the file's first row group has a dictionary page. */
  private static boolean hasDictionary(Path file, String column) throws IOException {
    try (ParquetFileReader footer = ParquetFileReader.open(local(file))) {
      for (ColumnChunkMetaData chunk : footer.getFooter().getBlocks().get(0).getColumns()) {
        if (chunk.getPath().toDotString().equals(column)) {
          return chunk.hasDictionaryPage();
        }
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + file);
  }

  /** 5,000 rows of {@link #SCHEMA}, the values of row {@code i} from {@code values}. */
  private static List<Row> rows(IntFunction<Object[]> values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues(values.apply(i)).build());
    }
    return rows;
  }

  /** A local file as Parquet reads it, without Hadoop's file systems. */
  private static InputFile local(Path file) {
    return new InputFile() {
      @Override
      public long getLength() throws IOException {
        return Files.size(file);
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        FileChannel channel = FileChannel.open(file);
        return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
          @Override
          public long getPos() throws IOException {
            return channel.position();
          }

          @Override
          public void seek(long position) throws IOException {
            channel.position(position);
          }
        };
      }
    };
  }

  private Path write(List<Row> rows) throws Exception {
    return write(
        ParquetFileSink.ofRows(SCHEMA, AvroUtils.toAvroSchema(SCHEMA, "Row", "test")), rows);
  }

  private Path write(ParquetFileSink<Row> sink, List<Row> rows) throws Exception {
    Path file = Files.createTempFile(dir, "part", ".parquet");
    try (FileOutputStream out = new FileOutputStream(file.toFile());
        FileChannel channel = out.getChannel()) {
      sink.open(channel);
      for (Row row : rows) {
        sink.write(row);
      }
      sink.flush();
    }
    return file;
  }
}
