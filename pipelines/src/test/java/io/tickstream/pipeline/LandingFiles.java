package io.tickstream.pipeline;

import io.tickstream.generator.BoundedSource;
import io.tickstream.generator.Simulation;
import io.tickstream.generator.faults.Emission;
import io.tickstream.generator.faults.FaultInjector;
import io.tickstream.generator.market.MarketSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Landing data as the systems tickstream replaces leave it, from a seeded simulation: exactly the
 * records {@code tickstream generate} (and the pipeline's generator source with one split) emits,
 * faults included, in emission order.
 */
final class LandingFiles {
  private static final DateTimeFormatter HOUR_PREFIX =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ONE_OBJECT_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private LandingFiles() {}

  /** The simulation's records, as emitted. */
  static List<Emission> emissions(Simulation market) {
    FaultInjector records =
        new FaultInjector(
            new BoundedSource(
                new MarketSimulator(
                    market.profiles(),
                    market.startMillis(),
                    market.ticksPerMinute(),
                    Long.MAX_VALUE,
                    market.seed()),
                market.maxTicks(),
                market.duration()),
            market.faults(),
            market.seed());
    List<Emission> out = new ArrayList<>();
    Emission e;
    while ((e = records.next()) != null) {
      out.add(e);
    }
    return out;
  }

  /**
   * Firehose-style JSON lines: {@code dir/yyyy/MM/dd/HH/ticks.jsonl[.gz]}, a file per hour of
   * emission, every other hour gzipped; returns the glob that matches them all.
   */
  static String firehose(List<Emission> records, Path dir) throws IOException {
    Map<String, List<String>> byHour = new LinkedHashMap<>();
    String hour = null;
    for (Emission e : records) {
      // An emission goes to the hour being written, as a delivery stream buffers by arrival.
      String h = HOUR_PREFIX.format(Instant.ofEpochMilli(e.eventTimeMillis()));
      if (hour == null || h.compareTo(hour) > 0) {
        hour = h;
      }
      byHour.computeIfAbsent(hour, k -> new ArrayList<>()).add(e.line());
    }
    int n = 0;
    for (Map.Entry<String, List<String>> h : byHour.entrySet()) {
      boolean gzip = n++ % 2 == 1;
      Path file = dir.resolve(h.getKey()).resolve("ticks.jsonl" + (gzip ? ".gz" : ""));
      Files.createDirectories(file.getParent());
      try (OutputStream raw = Files.newOutputStream(file);
          OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
          Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        for (String line : h.getValue()) {
          w.write(line);
          w.write('\n');
        }
      }
    }
    return dir + "/**";
  }

  /** One object per file, {@code stock_market_YYYYMMDD_HHMMSS_<n>.json}; returns the glob. */
  static String oneObjectPerFile(List<Emission> records, Path dir) throws IOException {
    Files.createDirectories(dir);
    int n = 0;
    for (Emission e : records) {
      String name =
          String.format(
              "stock_market_%s_%08d.json",
              ONE_OBJECT_NAME.format(Instant.ofEpochMilli(e.eventTimeMillis())), n++);
      Files.writeString(dir.resolve(name), e.line());
    }
    return dir + "/stock_market_*.json";
  }
}
