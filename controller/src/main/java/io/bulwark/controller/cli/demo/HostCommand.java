package io.bulwark.controller.cli.demo;

import io.bulwark.controller.domain.BulwarkException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command (such as {@code ip}) to completion and captures what it printed. */
public final class HostCommand {
  private static final long TIMEOUT_SECONDS = 30;

  private HostCommand() {}

  /** What a finished command printed. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs the command and returns its result whatever the exit code. */
  public static Result run(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      // Commands used here print little; reading after exit cannot dead-lock on a full pipe.
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new BulwarkException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(
          p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BulwarkException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BulwarkException("interrupted while running " + command.get(0), e);
    }
  }

  /** Runs the command and fails with its error output when it exits non-zero. */
  public static String check(String... command) {
    Result r = run(List.of(command));
    if (r.exitCode() != 0) {
      throw new BulwarkException(String.join(" ", command) + " failed: " + r.stderr().trim());
    }
    return r.stdout();
  }

  /** Whether a program is on the PATH. */
  public static boolean available(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
