package io.bulwark.controller.bench;

import io.bulwark.chunk.RuleChunks;
import io.bulwark.controller.api.TransferBudget;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One fleet-simulator process (the agent jar's {@code io.bulwark.agent.fleet.FleetWorker}),
 * driven line by line over its stdin and stdout. Its log goes to {@code worker.log} in its
 * directory. Not thread-safe: one caller at a time.
 */
public final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader replies;
  private final PrintWriter commands;
  private String tls;

  private WorkerProcess(Process process) {
    this.process = process;
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /**
   * Starts a worker for the token files in {@code dir/tokens} and waits for its "ready" line.
   *
   * @param nativeTls a jar holding Netty's BoringSSL (the controller's), put after the agent jar so
   *     that the simulated agents' TLS costs this machine less; without it they use the JDK's, as a
   *     real agent does (the agent package has no BoringSSL)
   * @param nice the process's CPU niceness, 0 to 19: above 0, the controller comes first when both
   *     want the same cores, as it would with the agents on hosts of their own
   * @param toAllBytes the largest message that may go to every agent at once, to size the process
   * @param largestBytes about the largest rule set the agents will hold
   */
  public static WorkerProcess start(Path agentJar, Optional<Path> nativeTls, Path dir, String controller,
      int agents, Duration confirmWindow, int nice, long toAllBytes, long largestBytes) throws IOException {
    Memory memory = memory(agents, toAllBytes, largestBytes);
    List<String> command = new ArrayList<>(nicePrefix(nice));
    command.add(ControllerProcess.java());
    command.addAll(jvmOptions(memory));
    // Extra JVM options for the simulator processes, for example to profile them under load.
    String extra = System.getenv("BULWARK_BENCH_WORKER_JVM");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().replace("%p", dir.getFileName().toString()).split("\\s+")));
    }
    String classPath = agentJar + nativeTls.map(j -> File.pathSeparator + j).orElse("");
    command.addAll(List.of("-cp", classPath, "io.bulwark.agent.fleet.FleetWorker",
        "--controller", controller, "--dir", dir.toString(), "--confirm-window", Long.toString(confirmWindow.toSeconds())));
    Process p = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("worker.log").toFile()))
        .start();
    WorkerProcess worker = new WorkerProcess(p);
    String ready = worker.read();
    if (!ready.startsWith("ready ")) {
      worker.close();
      throw new IllegalStateException("the fleet worker in " + dir + " did not start: " + ready);
    }
    int tls = ready.indexOf(" tls=");
    worker.tls = tls < 0 ? "unknown" : ready.substring(tls + " tls=".length());
    return worker;
  }

  /**
   * The simulator's JVM options: its memory, the serial collector, and C1 as the only compiler, on
   * one thread. Thousands of agents in one JVM make paths hot that no real agent runs often, such
   * as its retry while the controller is down, and C2 compiling them took the cores the bench
   * measures: with C2, 2,000 simulated agents spent 16-19 s of CPU until the restarted controller
   * listened, and it listened 12-14 s after the kill instead of 4.7 s. C1 checks large rule sets
   * more slowly than a real agent (which has C2 for SHA-256), so those figures are on the safe side.
   * {@code BULWARK_BENCH_WORKER_JVM} comes after these: {@code -XX:TieredStopAtLevel=4
   * -XX:CICompilerCount=2} brings C2 back (both, since two compilers need two threads).
   */
  static List<String> jvmOptions(Memory memory) {
    return List.of("-Xmx" + memory.heapMb() + "m",
        "-XX:MaxDirectMemorySize=" + memory.directMb() + "m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
        "-Dbulwark.log.level=WARN");
  }

  /** A simulator process's heap and direct-memory ceilings. */
  public record Memory(long heapMb, long directMb) {
    public long totalMb() {
      // Beyond both: metaspace, code, thread stacks and the JVM itself.
      return heapMb + directMb + 160;
    }
  }

  /**
   * What {@code agents} simulated agents need. The agents of a process keep one copy of each rule
   * set they verified, so the rules themselves cost little; what counts is what arrives. Each agent
   * keeps its TLS state, stream and outbox, at least half a megabyte. A message below a quarter
   * chunk (a delta, a small rule set) may reach every agent at once and be held until checked
   * (twice its size on the heap, and its bytes in Netty's direct buffers). A larger rule set goes to
   * at most as many streams at once as {@link TransferBudget#MAX_BYTES} holds of its chunks, each
   * holding the bytes received, the text made of them and its line starts (three times the rule
   * set) and up to a chunk in direct buffers. A slot is given back once the controller has sent the
   * last chunk, so agents whose applies lag hold more; there is room for that: 5,000 agents and a
   * 100,000-term set (1.7 MB) peaked at 2.7 GB live in a 7.7 GB heap.
   *
   * @param toAllBytes the largest message that may reach every agent at once
   * @param largestBytes the largest rule set
   */
  public static Memory memory(int agents, long toAllBytes, long largestBytes) {
    long mb = 1024 * 1024;
    long quarter = RuleChunks.DEFAULT_CHUNK_BYTES / 4;
    long toAll = Math.min(toAllBytes, quarter);
    boolean large = largestBytes >= quarter;
    long chunk = Math.min(largestBytes, RuleChunks.DEFAULT_CHUNK_BYTES);
    long receiving = large ? Math.min(agents, TransferBudget.MAX_BYTES / chunk) : 0;
    long each = Math.max(512 * 1024, 2 * toAll);
    long heapMb = Math.max(128, 96 + (agents * each + receiving * 3 * largestBytes) / mb);
    long inFlight = agents * toAll * 5 / 4 + receiving * Math.min(largestBytes, RuleChunks.DEFAULT_CHUNK_BYTES) * 5 / 4;
    // Without large sets, never below the JVM's default, the heap's ceiling.
    long directMb = large ? Math.max(256, 64 + inFlight / mb) : Math.max(heapMb, 64 + inFlight / mb);
    return new Memory(heapMb, directMb);
  }

  /**
   * What runs the JVM at CPU niceness {@code nice}: nothing for 0, else {@code nice -n N}, which
   * runs it in its own place, so the process's pid stays the JVM's.
   */
  static List<String> nicePrefix(int nice) {
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("niceness must be 0 to 19, not " + nice);
    }
    return nice == 0 ? List.of() : List.of("nice", "-n", Integer.toString(nice));
  }

  /** The TLS implementation the simulated agents use, as the worker said when ready. */
  public String tls() {
    return tls;
  }

  /** Sends one command and returns its one-line answer. */
  public String ask(String command) throws IOException {
    commands.println(command);
    return read();
  }

  /** Sends one command and returns the lines up to (without) {@code last}. */
  public List<String> askLines(String command, String last) throws IOException {
    commands.println(command);
    List<String> lines = new ArrayList<>();
    for (String line = read(); !line.equals(last); line = read()) {
      if (line.startsWith("error ")) {
        throw new IllegalStateException("the fleet worker could not do '" + command + "': " + line
            + " (its log: worker.log)");
      }
      lines.add(line);
    }
    return lines;
  }

  public long pid() {
    return process.pid();
  }

  private String read() throws IOException {
    String line = replies.readLine();
    if (line == null) {
      throw new UncheckedIOException(new IOException("the fleet worker exited (" + (process.isAlive() ? "running" : "status "
          + process.exitValue()) + ")"));
    }
    return line;
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        commands.println("quit");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
