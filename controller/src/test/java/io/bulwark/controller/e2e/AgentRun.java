package io.bulwark.controller.e2e;

import io.bulwark.controller.cli.demo.AgentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real agent process in a network namespace with the options a test needs, appending to one
 * log file across restarts. {@link #kill()} sends SIGKILL, to show what survives a crash.
 */
final class AgentRun implements AutoCloseable {
  private static final List<String> JVM = List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final List<String> command;
  private final Path log;
  private Process process;

  AgentRun(String namespace, Path agentJar, Path log, List<String> agentArgs) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, AgentProcess.javaBinary()));
    cmd.addAll(JVM);
    cmd.addAll(List.of("-jar", agentJar.toString()));
    cmd.addAll(agentArgs);
    this.command = List.copyOf(cmd);
    this.log = log;
  }

  synchronized AgentRun start() throws IOException {
    return start(List.of());
  }

  /** Starts the agent with {@code extraArgs} after the usual ones. */
  synchronized AgentRun start(List<String> extraArgs) throws IOException {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and wait until it is gone. */
  synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
