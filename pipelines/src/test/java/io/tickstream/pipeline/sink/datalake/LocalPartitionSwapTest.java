package io.tickstream.pipeline.sink.datalake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickstream.pipeline.model.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPartitionSwapTest {
  private static final String DT = "dt=2025-01-02";
  private static final String WRITTEN_BY = "backfill";

  /** Swaps of one partition, each with a reader listing it throughout. */
  private static final int SWAPS = 200;

  /** Listings the reader makes before the swap may start, and after it has returned. */
  private static final int MIN_LISTINGS_BEFORE = 50;

  private static final int MIN_LISTINGS_AFTER = 50;

  private static final Set<String> OLD_NAMES = Set.of("old-a.parquet", "old-b.parquet");

  @TempDir Path root;

  /**
   * A reader listing the partition during a swap sees the old files, the new ones, or no partition.
   * One that opened the old directory just before it was renamed away may also read it while
   * replace deletes it: then it sees part of the old files, or none (about once in 15,000 swaps on
   * two cores). What it never sees is old and new files together, or part of the new ones.
   */
  @Test
  void readerNeverSeesAMix() throws Exception {
    Path partition = root.resolve(Dataset.BARS_1M.name()).resolve(DT);
    Files.createDirectories(partition);
    for (String name : OLD_NAMES) {
      Files.write(partition.resolve(name), ("old " + name).getBytes(StandardCharsets.UTF_8));
    }
    Files.write(partition.resolve(SuccessMarker.NAME), "{}".getBytes(StandardCharsets.UTF_8));
    Set<String> oldSet = withMarker(OLD_NAMES);
    Set<String> newSet = null;
    Set<String> committed = oldSet;
    int absent = 0;
    int empty = 0;
    int partial = 0;

    for (int swap = 0; swap < SWAPS; swap++) {
      LocalPartitionSwap commit =
          new LocalPartitionSwap(root.toString(), "r" + (swap + 1), WRITTEN_BY);
      boolean toNew = swap % 2 == 0;
      List<StagedFile> files = new ArrayList<>();
      if (toNew) {
        for (int i = 0; i < 3; i++) {
          files.add(stage(commit, Dataset.BARS_1M, DT, commit.fileName(0, i), 10 + i, 1000 + i));
        }
      } else {
        int i = 0;
        for (String name : new TreeSet<>(OLD_NAMES)) {
          files.add(stage(commit, Dataset.BARS_1M, DT, name, 5 + i, 2000 + i++));
        }
      }
      Set<String> target = withMarker(files.stream().map(StagedFile::getName).toList());
      if (toNew) {
        newSet = target;
        assertFalse(target.equals(oldSet));
      } else {
        assertEquals(oldSet, target);
      }

      AtomicInteger absentListings = new AtomicInteger();
      Map<Set<String>, Integer> listings = new HashMap<>();
      AtomicBoolean replaced = new AtomicBoolean();
      AtomicReference<Throwable> readerFailure = new AtomicReference<>();
      CountDownLatch warmedUp = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try {
                  int before = 0;
                  int after = 0;
                  while (true) {
                    // Read the flag first: a listing started after it was set began once
                    // replace had returned.
                    boolean done = replaced.get();
                    Set<String> listing = list(partition);
                    if (listing == null) {
                      absentListings.incrementAndGet();
                      listing = Set.of();
                    }
                    listings.merge(listing, 1, Integer::sum);
                    if (done) {
                      if (++after >= MIN_LISTINGS_AFTER) {
                        break;
                      }
                    } else if (++before == MIN_LISTINGS_BEFORE) {
                      warmedUp.countDown();
                    }
                  }
                } catch (Throwable t) {
                  readerFailure.set(t);
                  warmedUp.countDown();
                }
              },
              "partition-reader-" + swap);
      reader.start();
      assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "the reader never got going");
      List<SuccessMarker> markers = commit.replace(Dataset.BARS_1M, DT, files);
      replaced.set(true);
      reader.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(reader.isAlive(), "the reader did not stop");
      if (readerFailure.get() != null) {
        throw new AssertionError("the reader failed", readerFailure.get());
      }
      commit.finish(Dataset.BARS_1M);

      assertEquals(1, markers.size());
      assertEquals(target, list(partition), "swap " + swap + ": the partition after replace");
      for (Map.Entry<Set<String>, Integer> e : listings.entrySet()) {
        Set<String> listing = e.getKey();
        if (listing.equals(committed) || listing.equals(target)) {
          continue;
        }
        // Empty or part of the old set: read from the old directory (opened before the first
        // rename) while replace deleted it. Anything else mixes the two, or is part of the new.
        if (!committed.containsAll(listing)) {
          fail(
              "swap "
                  + swap
                  + ": a reader saw "
                  + new TreeSet<>(listing)
                  + ", neither the old files "
                  + new TreeSet<>(committed)
                  + " (or what was left of them) nor the new "
                  + new TreeSet<>(target)
                  + "; all listings: "
                  + listings);
        }
        if (!listing.isEmpty()) {
          partial += e.getValue();
        }
      }
      // Listings were made both before replace started and after it returned.
      assertTrue(listings.containsKey(committed), "swap " + swap + ": " + listings);
      assertTrue(listings.containsKey(target), "swap " + swap + ": " + listings);
      absent += absentListings.get();
      empty += listings.getOrDefault(Set.of(), 0) - absentListings.get();
      committed = target;
    }
    assertEquals(oldSet, committed);
    assertEquals(Set.of(DT), names(root.resolve(Dataset.BARS_1M.name())));
    assertTrue(newSet != null && newSet.size() == 4, String.valueOf(newSet));
    System.out.printf(
        "readerNeverSeesAMix: %d swaps; listings with no partition %d, empty %d, part of the"
            + " old set %d%n",
        SWAPS, absent, empty, partial);
  }

  @Test
  void anInterruptedSwapIsRepairedByTheNextRun() throws Exception {
    Path dataset = root.resolve(Dataset.BARS_1M.name());
    // Run r1 staged its files and markers, moved the old partition away, then died.
    Path replacedDir = Files.createDirectories(dataset.resolve(".replaced-r1-" + DT));
    for (String name : OLD_NAMES) {
      Files.write(replacedDir.resolve(name), ("old " + name).getBytes(StandardCharsets.UTF_8));
    }
    byte[] oldMarker = "{\"old\":true}".getBytes(StandardCharsets.UTF_8);
    Files.write(replacedDir.resolve(SuccessMarker.NAME), oldMarker);
    LocalPartitionSwap r1 = new LocalPartitionSwap(root.toString(), "r1", WRITTEN_BY);
    StagedFile staged = stage(r1, Dataset.BARS_1M, DT, r1.fileName(0, 0), 7, 1000);
    Path stagedDir = Path.of(r1.stagingDirectory(Dataset.BARS_1M, DT));
    Files.write(
        stagedDir.resolve(SuccessMarker.NAME),
        SuccessMarker.of(Dataset.BARS_1M.name(), DT, WRITTEN_BY, List.of(staged)).toJson());
    assertFalse(Files.exists(dataset.resolve(DT)));

    new LocalPartitionSwap(root.toString(), "r2", WRITTEN_BY).finish(Dataset.BARS_1M);

    Path partition = dataset.resolve(DT);
    assertEquals(withMarker(OLD_NAMES), list(partition));
    for (String name : OLD_NAMES) {
      assertArrayEquals(
          ("old " + name).getBytes(StandardCharsets.UTF_8),
          Files.readAllBytes(partition.resolve(name)));
    }
    assertArrayEquals(oldMarker, Files.readAllBytes(partition.resolve(SuccessMarker.NAME)));
    assertEquals(Set.of(DT), names(dataset));

    // Died after the second rename instead: the new partition is in place and stays.
    Path leftOver = Files.createDirectories(dataset.resolve(".replaced-r2-" + DT));
    Files.write(leftOver.resolve("stale.parquet"), new byte[] {1});
    Files.createDirectories(dataset.resolve(".staging-r2"));
    new LocalPartitionSwap(root.toString(), "r3", WRITTEN_BY).finish(Dataset.BARS_1M);
    assertEquals(Set.of(DT), names(dataset));
    assertEquals(withMarker(OLD_NAMES), list(partition));
  }

  @Test
  void aRetriedCommitDoesNotLoseTheSwappedFiles() throws Exception {
    Path partition = root.resolve(Dataset.BARS_1M.name()).resolve(DT);
    Files.createDirectories(partition);
    Files.write(partition.resolve("old-a.parquet"), new byte[] {1, 2, 3});
    Files.write(partition.resolve(SuccessMarker.NAME), "{}".getBytes(StandardCharsets.UTF_8));
    LocalPartitionSwap commit = new LocalPartitionSwap(root.toString(), "r1", WRITTEN_BY);
    List<StagedFile> files =
        List.of(
            stage(commit, Dataset.BARS_1M, DT, commit.fileName(0, 0), 3, 1_000),
            stage(commit, Dataset.BARS_1M, DT, commit.fileName(1, 0), 4, 2_000));
    Map<String, byte[]> contents = new HashMap<>();
    for (StagedFile f : files) {
      contents.put(f.getName(), Files.readAllBytes(Path.of(f.getLocation())));
    }

    List<SuccessMarker> first = commit.replace(Dataset.BARS_1M, DT, files);
    List<SuccessMarker> retry = commit.replace(Dataset.BARS_1M, DT, files);

    assertEquals(first, retry);
    assertEquals(1, first.size());
    Set<String> expected = withMarker(contents.keySet());
    assertEquals(expected, list(partition));
    for (Map.Entry<String, byte[]> e : contents.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(partition.resolve(e.getKey())));
    }
    SuccessMarker onDisk = readMarker(partition);
    assertEquals(first.get(0), onDisk);
    assertEquals(7, onDisk.rows());
    assertEquals(List.copyOf(new TreeSet<>(contents.keySet())), onDisk.fileNames());

    commit.finish(Dataset.BARS_1M);
    assertEquals(Set.of(DT), names(root.resolve(Dataset.BARS_1M.name())));
    assertEquals(expected, list(partition));
  }

  @Test
  void markersCountRowsAndNameTheFiles() throws Exception {
    LocalPartitionSwap commit = new LocalPartitionSwap(root.toString(), "r1", WRITTEN_BY);
    long h09 = Instant.parse("2025-01-02T09:59:58.500Z").toEpochMilli();
    long h14 = Instant.parse("2025-01-02T14:30:00Z").toEpochMilli();
    List<StagedFile> files =
        List.of(
            stage(commit, Dataset.TICKS, DT + "/hour=09", commit.fileName(1, 0), 20, h09 - 5_000),
            stage(commit, Dataset.TICKS, DT + "/hour=09", commit.fileName(0, 0), 10, h09),
            stage(commit, Dataset.TICKS, DT + "/hour=09", commit.fileName(0, 1), 5, h09 - 1),
            stage(commit, Dataset.TICKS, DT + "/hour=14", commit.fileName(0, 0), 42, h14));

    List<SuccessMarker> markers = commit.replace(Dataset.TICKS, DT, files);
    commit.finish(Dataset.TICKS);

    Path dt = root.resolve(Dataset.TICKS.name()).resolve(DT);
    assertEquals(Set.of("hour=09", "hour=14"), list(dt));
    SuccessMarker m09 = readMarker(dt.resolve("hour=09"));
    assertEquals("ticks", m09.dataset());
    assertEquals(DT + "/hour=09", m09.partition());
    assertEquals(35, m09.rows());
    assertEquals(Instant.ofEpochMilli(h09), m09.maxEventTime());
    assertEquals(WRITTEN_BY, m09.writtenBy());
    assertEquals(
        List.of("part-00000-00000.parquet", "part-00000-00001.parquet", "part-00001-00000.parquet"),
        m09.fileNames());
    for (SuccessMarker.FileEntry entry : m09.files()) {
      assertEquals(Files.size(dt.resolve("hour=09").resolve(entry.name())), entry.bytes());
    }
    assertEquals(
        withMarker(m09.fileNames()), list(dt.resolve("hour=09")), "hour=09 holds its files");
    SuccessMarker m14 = readMarker(dt.resolve("hour=14"));
    assertEquals(DT + "/hour=14", m14.partition());
    assertEquals(42, m14.rows());
    assertEquals(Instant.parse("2025-01-02T14:30:00Z"), m14.maxEventTime());
    assertEquals(List.of("part-00000-00000.parquet"), m14.fileNames());
    assertEquals(withMarker(m14.fileNames()), list(dt.resolve("hour=14")));
    assertEquals(List.of(m09, m14), markers);

    // A daily dataset's dt with nothing in it is committed as empty, replacing what was there.
    Path signals = root.resolve(Dataset.SIGNALS.name()).resolve(DT);
    Files.createDirectories(signals);
    Files.write(signals.resolve("old-a.parquet"), new byte[] {9});
    LocalPartitionSwap r2 = new LocalPartitionSwap(root.toString(), "r2", WRITTEN_BY);
    List<SuccessMarker> none = r2.replace(Dataset.SIGNALS, DT, List.of());
    r2.finish(Dataset.SIGNALS);
    assertEquals(Set.of(SuccessMarker.NAME), list(signals));
    SuccessMarker empty = readMarker(signals);
    assertEquals(List.of(empty), none);
    assertEquals("signals", empty.dataset());
    assertEquals(DT, empty.partition());
    assertEquals(0, empty.rows());
    assertNull(empty.maxEventTime());
    assertTrue(empty.files().isEmpty());
    assertEquals(Set.of(DT), names(root.resolve(Dataset.SIGNALS.name())));
  }

  /** Writes a file into the staging directory of {@code partition}, as a batch write would. */
  private static StagedFile stage(
      PartitionCommit commit,
      Dataset<?> dataset,
      String partition,
      String name,
      long rows,
      long maxEventMillis)
      throws IOException {
    String location = commit.stagingDirectory(dataset, partition) + name;
    Path file = Path.of(location);
    Files.createDirectories(file.getParent());
    Files.write(file, (partition + "/" + name + " rows=" + rows).getBytes(StandardCharsets.UTF_8));
    return StagedFile.create(
        dataset.name(), partition, location, name, rows, Files.size(file), maxEventMillis);
  }

  private static Set<String> withMarker(Collection<String> names) {
    return Stream.concat(names.stream(), Stream.of(SuccessMarker.NAME))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The names in {@code dir}, or null when there is no such directory. */
  private static Set<String> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** The names in {@code dir}, which must exist. */
  private static Set<String> names(Path dir) throws IOException {
    Set<String> names = list(dir);
    assertTrue(names != null, dir + " is missing");
    return names;
  }

  private static SuccessMarker readMarker(Path dir) throws IOException {
    Path marker = dir.resolve(SuccessMarker.NAME);
    return SuccessMarker.parse(Files.readAllBytes(marker), marker.toString());
  }
}
