package io.bulwark.controller.cli;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A controller on loopback in a temporary data directory, and {@code bulwark} commands run against
 * it in process, their standard output and error captured: for tests of the CLI end to end. Closing
 * stops the controller and deletes the directory.
 */
final class RunningController implements AutoCloseable {
  /** What a command printed and returned. */
  record Run(int exit, String out, String err) {}

  private final Path work;
  private final ControllerMain controller;

  private RunningController(Path work, ControllerMain controller) {
    this.work = work;
    this.controller = controller;
  }

  /** Starts a controller whose clock stands at 2026-12-04T10:00:00Z. */
  static RunningController start(String name) throws Exception {
    Path work = Files.createTempDirectory("bulwark-" + name + "-");
    try {
      return new RunningController(work, new ControllerMain(new ControllerConfig(work,
          new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), null, List.of(),
          Duration.ofDays(1)), MutableClock.at("2026-12-04T10:00:00Z")).start());
    } catch (Exception | Error e) {
      io.bulwark.controller.cli.demo.Demo.deleteTree(work);
      throw e;
    }
  }

  /** The controller's data directory. */
  Path dataDir() {
    return work;
  }

  /** Runs {@code bulwark ARGS --data-dir DIR}. */
  Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--data-dir", work.toString())).toArray(String[]::new);
      int exit = BulwarkCli.commandLine().execute(full);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Override
  public void close() {
    try {
      controller.close();
    } finally {
      io.bulwark.controller.cli.demo.Demo.deleteTree(work);
    }
  }
}
