package io.bulwark.controller.cli.demo;

import io.bulwark.controller.domain.BulwarkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real agent process started inside a network namespace, logging to a file. */
public final class AgentProcess implements AutoCloseable {
  /** The agent's unit's options, with a smaller heap (the last -Xmx counts): the demo's rule sets are small. */
  static final List<String> JVM_OPTIONS =
      List.of(System.getProperty("bulwark.agent.jvm", io.bulwark.installer.AgentPackage.JAVA_OPTS + " -Xmx48m")
          .split(" "));

  private final Process process;
  private final Path log;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static AgentProcess start(String namespace, Path agentJar, String controller, Path tokenFile, Path dataDir, Path log) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    cmd.add(javaBinary());
    cmd.addAll(JVM_OPTIONS);
    cmd.addAll(List.of("-jar", agentJar.toString()));
    cmd.addAll(List.of("--controller", controller, "--token-file", tokenFile.toString(), "--data-dir", dataDir.toString(),
        "--applier", "nftables"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new AgentProcess(p, log);
    } catch (IOException e) {
      throw new BulwarkException("cannot start the agent: " + e.getMessage(), e);
    }
  }

  /** The java launcher of this process, so agents run on the same JDK. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Resident set size in KiB, from /proc; 0 when it cannot be read. */
  public long rssKib() {
    return Math.max(0, io.bulwark.controller.bench.ProcStatus.rssKib(process.pid()));
  }

  /** The last lines the agent logged, for an error message. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
