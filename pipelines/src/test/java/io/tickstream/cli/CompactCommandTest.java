package io.tickstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tickstream compact}'s mistakes: one line naming the flag and the value, no job. */
class CompactCommandTest {
  @TempDir Path tmp;

  private final List<JobRun.Job> launched = new ArrayList<>();

  private String compactErr(int expectedCode, String... args) {
    CommandLine cl =
        Tickstream.commandLine(
            Map.of(),
            (job, err) -> {
              launched.add(job);
              return 0;
            });
    List<String> all = new ArrayList<>(List.of("compact", "--lake=" + tmp.resolve("lake")));
    all.addAll(List.of(args));
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    assertEquals(expectedCode, cl.execute(all.toArray(new String[0])), err.toString());
    return err.toString();
  }

  @Test
  void anUnknownDatasetIsNamedWithTheKnownOnes() {
    String err = compactErr(2, "--dataset=quotes");
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("--dataset") && err.contains("quotes") && err.contains("bars_1m"), err);
    assertTrue(launched.isEmpty());
  }

  @Test
  void aBadDayIsNamed() {
    String err = compactErr(2, "--dataset=ticks", "--dt=yesterday");
    assertTrue(err.contains("--dt") && err.contains("yesterday"), err);
    assertTrue(launched.isEmpty());
  }

  @Test
  void theDatasetIsRequired() {
    String err = compactErr(2);
    assertTrue(err.contains("--dataset"), err);
    assertTrue(launched.isEmpty());
  }

  @Test
  void anEmptyLakeGivesAJobWithNothingToDo() {
    compactErr(0, "--dataset=ticks");
    assertEquals(1, launched.size());
    assertTrue(launched.get(0).source().contains("0 day(s)"), launched.get(0).source());
  }
}
