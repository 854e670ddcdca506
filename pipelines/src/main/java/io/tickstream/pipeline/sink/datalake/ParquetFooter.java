package io.tickstream.pipeline.sink.datalake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * What a written Parquet file's footer says, read through Beam's file systems (local or {@code
 * s3://}) without reading its data: its rows, its size, and the largest value of one {@code INT64}
 * column (a timestamp column's latest time).
 *
 * @param rows the rows of every row group
 * @param bytes the file's size
 * @param max the largest value of the column asked for in any row group, or {@link Long#MIN_VALUE}
 *     when there are no rows or no statistics
 */
record ParquetFooter(long rows, long bytes, long max) {

  /** Reads the footer of the file at {@code location}, with the maximum of {@code column}. */
  static ParquetFooter read(String location, String column) throws IOException {
    ResourceId file = FileSystems.matchNewResource(location, false);
    long size = FileSystems.matchSingleFileSpec(location).sizeBytes();
    try (ParquetFileReader reader = ParquetFileReader.open(new BeamInputFile(file, size))) {
      long rows = 0;
      long max = Long.MIN_VALUE;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        rows += block.getRowCount();
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          Statistics<?> stats = chunk.getStatistics();
          if (chunk.getPath().toDotString().equals(column)
              && stats != null
              && stats.hasNonNullValue()
              && stats.genericGetMax() instanceof Long) {
            max = Math.max(max, (Long) stats.genericGetMax());
          }
        }
      }
      return new ParquetFooter(rows, size, max);
    }
  }

  /** A Parquet input file over a Beam file system's seekable channel. */
  static final class BeamInputFile implements InputFile {
    private final ResourceId file;
    private final long size;

    BeamInputFile(ResourceId file, long size) {
      this.file = file;
      this.size = size;
    }

    @Override
    public long getLength() {
      return size;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file);
      InputStream in = Channels.newInputStream(channel);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }
      };
    }
  }
}
