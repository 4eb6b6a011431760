package io.bulwark.rules.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scratch Linux network namespace for tests that run real {@code nft}, so they never touch the
 * host's ruleset.
 *
 * <p>Use it in try-with-resources (or close it in {@code @AfterEach}): {@link #close()} deletes the
 * namespace and everything in it, and is safe to call twice. Before creating one, check {@link
 * #unavailableReason()} and skip the test with that message when it is present; creating a
 * namespace needs root, {@code ip} and {@code nft}. Each namespace gets a fresh name, so tests may
 * run in parallel.
 */
public final class NetnsFixture implements AutoCloseable {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final long TIMEOUT_SECONDS = 30;

  private final String name;
  private boolean closed;

  private NetnsFixture(String name) {
    this.name = name;
  }

  /** The output of one finished command. */
  public record CommandResult(int exitCode, String stdout, String stderr) {
    /** Returns true when the command exited with status 0. */
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Returns why namespaces cannot be used here, or empty when they can.
   *
   * @return a message suitable for a JUnit assumption
   */
  public static Optional<String> unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("network namespaces need Linux");
    }
    try {
      if (!run(List.of("id", "-u"), null).stdout().trim().equals("0")) {
        return Optional.of("network namespaces need root");
      }
      if (!run(List.of("nft", "--version"), null).ok()) {
        return Optional.of("nft is not installed");
      }
      if (!run(List.of("ip", "netns", "list"), null).ok()) {
        return Optional.of("'ip netns' does not work here");
      }
    } catch (UncheckedIOException e) {
      return Optional.of("cannot run id, nft or ip: " + e.getCause().getMessage());
    }
    return Optional.empty();
  }

  /**
   * Creates a new, empty namespace.
   *
   * @throws IllegalStateException when {@code ip netns add} fails
   */
  public static NetnsFixture create() {
    String name = "bwtest-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    CommandResult added = run(List.of("ip", "netns", "add", name), null);
    if (!added.ok()) {
      throw new IllegalStateException("ip netns add " + name + " failed: " + added.stderr());
    }
    return new NetnsFixture(name);
  }

  /** Returns the namespace's name. */
  public String name() {
    return name;
  }

  /** Runs {@code command} inside the namespace and waits for it. */
  public CommandResult exec(String... command) {
    return execWithInput(null, command);
  }

  /** Runs {@code command} inside the namespace with {@code stdin} as its standard input. */
  public CommandResult execWithInput(String stdin, String... command) {
    if (closed) {
      throw new IllegalStateException("namespace " + name + " is closed");
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(Arrays.asList(command));
    return run(full, stdin);
  }

  /** Deletes the namespace; does nothing when already closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CommandResult deleted = run(List.of("ip", "netns", "del", name), null);
    if (!deleted.ok()) {
      throw new IllegalStateException("ip netns del " + name + " failed: " + deleted.stderr());
    }
  }

  /** Runs a command on the host, with a timeout, capturing both output streams. */
  static CommandResult run(List<String> command, String stdin) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      return new CommandResult(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
