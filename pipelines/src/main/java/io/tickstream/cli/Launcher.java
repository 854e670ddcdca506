package io.tickstream.cli;

import java.io.PrintWriter;

/** Starts a checked job and follows it to its end; returns the exit code. */
@FunctionalInterface
interface Launcher {
  /** Runs the job here: progress, signals, summary ({@link JobRun}). */
  Launcher RUN = (job, err) -> new JobRun(job, err).run();

  int launch(JobRun.Job job, PrintWriter err) throws Exception;
}
