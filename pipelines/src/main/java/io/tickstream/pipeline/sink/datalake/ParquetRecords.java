package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads a lake file back into the records it was written from: Parquet's Avro reader, the Avro
 * record as a {@code Row} of the dataset's schema, the row as the record class. Through Beam's file
 * systems, local or {@code s3://}.
 */
final class ParquetRecords {
  private static final Configuration NO_HADOOP_DEFAULTS = new Configuration(false);

  private ParquetRecords() {}

  /** Every record of the file at {@code location}, in file order. */
  static <T> List<T> read(Dataset<T> dataset, String location) throws IOException {
    long size = FileSystems.matchSingleFileSpec(location).sizeBytes();
    List<T> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                new ParquetFooter.BeamInputFile(
                    FileSystems.matchNewResource(location, false), size))
            .withConf(NO_HADOOP_DEFAULTS)
            .build()) {
      GenericRecord record;
      while ((record = reader.read()) != null) {
        records.add(
            dataset.fromRowFunction().apply(AvroUtils.toBeamRowStrict(record, dataset.schema())));
      }
    }
    return records;
  }
}
