package io.bulwark.agent.host;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host command with a time limit and captures what it printed.
 *
 * <p>Output goes to private temporary files in the working directory rather than pipes, so a chatty
 * command can never block on a full pipe. Thread-safe; each call is independent.
 */
public final class CommandRunner {

  /**
   * What a command did.
   *
   * @param exitCode the exit status, or -1 when it was killed for running too long
   */
  public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean succeeded() {
      return !timedOut && exitCode == 0;
    }

    /**
     * Why the command {@code what} failed, for a report: {@code what: } and what it printed on
     * standard error, or its exit status when it printed nothing, or that it ran out of {@code timeout}.
     */
    public String describe(String what, java.time.Duration timeout) {
      if (timedOut) {
        return what + " did not finish within " + timeout.toSeconds() + " s";
      }
      String error = stderr.strip();
      return what + ": " + (error.isEmpty() ? "exited with status " + exitCode : error);
    }
  }

  private static final File NULL_DEVICE = new File("/dev/null");

  private final Path workDir;

  public CommandRunner(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * Runs {@code command} without a shell and waits at most {@code timeout}.
   *
   * @throws IOException when the command cannot be started (for example, not installed)
   */
  public Result run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile(workDir, ".cmd-", ".out");
    Path err = Files.createTempFile(workDir, ".cmd-", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while running " + command.get(0));
      }
      if (!finished) {
        process.destroyForcibly();
      }
      return new Result(
          finished ? process.exitValue() : -1,
          new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8),
          !finished);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
