package io.tickstream.pipeline.sink.datalake;

import io.tickstream.pipeline.metrics.PipelineMetrics;
import io.tickstream.pipeline.model.Dataset;
import io.tickstream.pipeline.model.PartitionKey;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Commits the partitions the streaming write fills: once the watermark has passed a leaf
 * partition's end (a {@code ticks} hour, a day of the others) plus a file window and the lake's
 * allowed lateness, no file can be added to it any more, and a {@code _SUCCESS} marker ({@link
 * SuccessMarker}, written by {@code stream}) goes into it naming every file written there, with the
 * rows and the latest event time read from the files' footers. Input: {@link WriteLake}'s list of
 * written files; output: the committed partitions, e.g. {@code ticks/dt=2025-01-02/hour=14}.
 */
public final class MarkCommittedPartitions
    extends PTransform<PCollection<KV<String, String>>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final LakeConfig lake;

  private MarkCommittedPartitions(LakeConfig lake) {
    this.lake = Objects.requireNonNull(lake, "lake");
  }

  /** Commits the partitions of {@code lake} as the stream closes them. */
  public static MarkCommittedPartitions of(LakeConfig lake) {
    return new MarkCommittedPartitions(lake);
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, String>> written) {
    return written
        .apply("IntoOneWindow", Window.<KV<String, String>>into(new GlobalWindows()))
        .apply(
            "MarkWhenClosed",
            ParDo.of(
                new MarkFn(
                    lake.root(), lake.fileWindow().toMillis() + lake.allowedLateness().toMillis())))
        .setCoder(StringUtf8Coder.of());
  }

  /** Gathers a partition's files until the watermark closes it, then writes its marker. */
  private static final class MarkFn extends DoFn<KV<String, String>, String> {
    private static final Pattern PARTITION =
        Pattern.compile("([a-z0-9_]+)/dt=(\\d{4}-\\d{2}-\\d{2})(?:/hour=(\\d{2}))?");
    private static final long HOUR_MILLIS = 3_600_000L;

    private final String root;
    private final long closeAfterMillis;
    private final Counter committed = PipelineMetrics.counter(PipelineMetrics.PARTITIONS_COMMITTED);

    @StateId("files")
    private final StateSpec<BagState<String>> filesSpec = StateSpecs.bag(StringUtf8Coder.of());

    @StateId("armed")
    private final StateSpec<ValueState<Boolean>> armedSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("close")
    private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    MarkFn(String root, long closeAfterMillis) {
      this.root = root;
      this.closeAfterMillis = closeAfterMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<String, String> file,
        @Timestamp Instant timestamp,
        @StateId("files") BagState<String> files,
        @StateId("armed") ValueState<Boolean> armed,
        @TimerId("close") Timer close) {
      files.add(file.getValue());
      if (armed.read() == null) {
        long at = Math.max(end(file.getKey()) + closeAfterMillis, timestamp.getMillis());
        close.set(new Instant(at));
        armed.write(true);
      }
    }

    @OnTimer("close")
    public void onClose(
        @Key String partitionDir,
        @StateId("files") BagState<String> files,
        @StateId("armed") ValueState<Boolean> armed,
        OutputReceiver<String> out)
        throws IOException {
      Matcher m = match(partitionDir);
      Dataset<?> dataset = Dataset.named(m.group(1));
      String partition = partitionDir.substring(dataset.name().length() + 1);
      List<SuccessMarker.FileEntry> entries = new ArrayList<>();
      long rows = 0;
      long max = Long.MIN_VALUE;
      for (String location : new TreeSet<String>(iterable(files.read()))) {
        ParquetFooter footer = ParquetFooter.read(location, dataset.partitionField());
        String name = location.substring(location.lastIndexOf('/') + 1);
        entries.add(new SuccessMarker.FileEntry(name, footer.rows(), footer.bytes()));
        rows += footer.rows();
        max = Math.max(max, footer.max());
      }
      SuccessMarker marker =
          new SuccessMarker(
              dataset.name(),
              partition,
              rows,
              max == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(max),
              "stream",
              entries);
      ManifestCommit.write(root + "/" + partitionDir + "/" + SuccessMarker.NAME, marker.toJson());
      files.clear();
      armed.clear();
      committed.inc();
      out.output(partitionDir);
    }

    private static List<String> iterable(Iterable<String> files) {
      List<String> out = new ArrayList<>();
      files.forEach(out::add);
      return out;
    }

    /** The end of a partition, e.g. of {@code ticks/dt=2025-01-02/hour=14}: 15:00 that day. */
    private static long end(String partitionDir) {
      Matcher m = match(partitionDir);
      long day =
          LocalDate.parse(m.group(2)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      return m.group(3) == null
          ? day + 24 * HOUR_MILLIS
          : day + (Integer.parseInt(m.group(3)) + 1) * HOUR_MILLIS;
    }

    private static Matcher match(String partitionDir) {
      Matcher m = PARTITION.matcher(partitionDir);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "'"
                + partitionDir
                + "' is not a lake partition such as ticks/dt=2025-01-02/hour=14"
                + " ("
                + PartitionKey.DT.column()
                + ", "
                + PartitionKey.HOUR.column()
                + ")");
      }
      return m;
    }
  }
}
