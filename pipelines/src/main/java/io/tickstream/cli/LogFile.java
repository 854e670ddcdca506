package io.tickstream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where a pipeline command's log goes: a file of its own (Beam's and Flink's INFO included), so the
 * terminal shows progress, the summary and one-line errors, and a failure can say where the whole
 * story is. Set before anything logs: slf4j-simple reads its settings once, at its first logger.
 */
final class LogFile {
  private static final String FILE = "org.slf4j.simpleLogger.logFile";

  private LogFile() {}

  /** The file the log goes to, or null when it goes where slf4j-simple sends it by default. */
  static @javax.annotation.Nullable String current() {
    return System.getProperty(FILE);
  }

  /**
   * Sends the log to a new file for {@code command} under {@code $TMPDIR/tickstream-logs/}, unless
   * a log file is already chosen ({@code -Dorg.slf4j.simpleLogger.logFile=...}); returns it, or
   * null when no directory for it can be made (the log then goes to stderr).
   */
  static @javax.annotation.Nullable String open(String command) {
    String chosen = System.getProperty(FILE);
    if (chosen != null) {
      return chosen;
    }
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tickstream-logs");
    String name =
        command
            + "-"
            + LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
            + "-"
            + ProcessHandle.current().pid()
            + ".log";
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return null;
    }
    String file = dir.resolve(name).toString();
    System.setProperty(FILE, file);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "info");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink", "info");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    return file;
  }
}
