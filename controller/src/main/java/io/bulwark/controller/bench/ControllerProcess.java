package io.bulwark.controller.bench;

import io.bulwark.controller.ControllerInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller in a process of its own, on a fixed loopback port, so that a load test can kill it
 * with SIGKILL and start it again on the same data directory and port. Its output goes to
 * {@code controller.log} in the data directory.
 */
public final class ControllerProcess implements AutoCloseable {
  private final Path jar;
  private final Path dataDir;
  private final int port;
  private final String heap;
  private final List<String> options;
  private Process process;

  public ControllerProcess(Path jar, Path dataDir, String heap) {
    this(jar, dataDir, heap, List.of());
  }

  /** @param options more options of {@code bulwark controller}, for example its --db-url */
  public ControllerProcess(Path jar, Path dataDir, String heap, List<String> options) {
    this.jar = jar;
    this.dataDir = dataDir;
    this.port = freePort();
    this.heap = heap;
    this.options = List.copyOf(options);
  }

  /** Starts the process and waits until it has written its address file. */
  public ControllerProcess start(Duration timeout) throws InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the controller is running already");
    }
    // Extra JVM options for the controller, for example to profile it under load or to try
    // another collector (then G1 is not asked for).
    String extra = System.getenv("BULWARK_BENCH_CONTROLLER_JVM");
    List<String> extraOptions = extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap,
        "-Xlog:gc,gc+phases:file=" + dataDir.resolve("gc.log") + "::filecount=0"));
    if (extraOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
      // As the launcher runs a controller.
      command.add("-XX:+UseG1GC");
      if (extraOptions.stream().noneMatch(o -> o.startsWith("-XX:MaxGCPauseMillis="))) {
        command.add("-XX:MaxGCPauseMillis=50");
      }
    }
    // The class-data archive `./bulwark controller` leaves beside the jar, as a deployed controller
    // would start with it (see the launcher).
    Path archive = jar.resolveSibling("bulwark-controller.jsa");
    try {
      if (Files.isRegularFile(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"));
      }
    } catch (IOException e) {
      // No archive then: only the start is slower.
    }
    command.addAll(extraOptions);
    command.addAll(List.of("-jar", jar.toString(),
        "controller", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port,
        "--admin-listen", "127.0.0.1:0"));
    command.addAll(options);
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(dataDir.resolve(ControllerInfo.FILE));
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("controller.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the controller: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(dataDir.resolve(ControllerInfo.FILE))) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the controller exited with " + process.exitValue() + "; see "
            + dataDir.resolve("controller.log"));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the controller did not start within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
    return this;
  }

  /**
   * The pauses in the GC log of the controller last started in {@code dataDir}, in milliseconds,
   * in the order they happened: the "Pause ... 12.345ms" lines G1 and Shenandoah write at {@code gc}
   * and ZGC at {@code gc+phases}.
   */
  public static List<Double> gcPauses(Path dataDir) throws IOException {
    Path log = dataDir.resolve("gc.log");
    List<Double> pauses = new ArrayList<>();
    if (!Files.exists(log)) {
      return pauses;
    }
    java.util.regex.Pattern pause = java.util.regex.Pattern.compile("\\bPause\\b.* ([0-9]+\\.[0-9]+)ms$");
    for (String line : Files.readAllLines(log)) {
      java.util.regex.Matcher m = pause.matcher(line);
      if (m.find()) {
        pauses.add(Double.parseDouble(m.group(1)));
      }
    }
    return pauses;
  }

  /** SIGKILL: no shutdown hook, nothing flushed. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  public String agentAddress() {
    return "127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public long pid() {
    return process.pid();
  }

  /** Resident set size from /proc, in KiB; -1 when unknown. */
  public long rssKib() {
    return ProcStatus.rssKib(process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
    }
  }
}
