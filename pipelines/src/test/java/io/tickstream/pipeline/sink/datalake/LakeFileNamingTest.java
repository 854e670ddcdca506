package io.tickstream.pipeline.sink.datalake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class LakeFileNamingTest {
  private static final IntervalWindow MINUTE =
      new IntervalWindow(
          Instant.parse("2025-01-02T14:00:00Z"), Instant.parse("2025-01-02T14:01:00Z"));

  @Test
  void nameIsPartitionWindowPaneAndShard() {
    LakeFileNaming naming = new LakeFileNaming("dt=2025-01-02/hour=14", 1, 2);
    assertEquals(
        "dt=2025-01-02/hour=14/part-20250102T140000Z-20250102T140100Z-pane0-00001-of-00002.parquet",
        naming.getFilename(
            MINUTE,
            PaneInfo.createPane(true, false, Timing.ON_TIME, 0, 0),
            1,
            0,
            Compression.UNCOMPRESSED));
    assertEquals(
        "dt=2025-01-02/hour=14/part-20250102T140000Z-20250102T140100Z-pane2-00001-of-00002.parquet",
        naming.getFilename(
            MINUTE,
            PaneInfo.createPane(false, false, Timing.LATE, 2, 1),
            1,
            0,
            Compression.UNCOMPRESSED));
  }

  @Test
  void refusesWindowsWithoutBounds() {
    LakeFileNaming naming = new LakeFileNaming("dt=2025-01-02", 0, 1);
    assertThrows(
        IllegalStateException.class,
        () ->
            naming.getFilename(
                GlobalWindow.INSTANCE, PaneInfo.NO_FIRING, 1, 0, Compression.UNCOMPRESSED));
    assertThrows(IllegalArgumentException.class, () -> new LakeFileNaming("dt=x", 2, 2));
  }
}
