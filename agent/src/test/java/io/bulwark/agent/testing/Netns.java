package io.bulwark.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A scratch network namespace with its own, empty nftables ruleset, iptables chains and ipsets, and
 * wrapper scripts that run {@code nft} (or, with {@link #wrappers}, other tools) inside it. Tests
 * skip when not root or when {@code ip} or {@code nft} is missing, and fail instead when {@code
 * BULWARK_STRICT_TESTS} is set, as CI sets it. Always {@link #close()} it.
 */
public final class Netns implements AutoCloseable {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final Path nft;

  private Netns(String name, Path nft) {
    this.name = name;
    this.nft = nft;
  }

  /** Creates the namespace and the wrapper in {@code scratch}, or skips the test. */
  public static Netns create(Path scratch) throws IOException, InterruptedException {
    require("root".equals(System.getProperty("user.name")), "needs root to create a netns");
    require(exitCode("ip", "-V") == 0, "needs the ip command (iproute2)");
    require(exitCode("nft", "--version") == 0, "needs the nft command (nftables)");
    String name = "bwagent-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Result created = run("ip", "netns", "add", name);
    require(created.exitCode == 0, "cannot create a netns: " + created.output);
    Path wrapper = scratch.resolve("nft-in-" + name);
    Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + name + " nft \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    return new Netns(name, wrapper);
  }

  /**
   * Skips (or, under BULWARK_STRICT_TESTS, fails) the calling test unless {@code probe} runs on the
   * host and exits 0.
   *
   * @param packageName the Debian package of the tool, for the message
   */
  public static void requireTool(String packageName, String... probe) throws InterruptedException {
    require(exitCode(probe) == 0, "needs " + probe[0] + " (Debian package " + packageName + ")");
  }

  /** Skips the calling test with {@code reason} unless {@code ok}; fails under strict tests. */
  public static void require(boolean ok, String reason) {
    if (ok) {
      return;
    }
    String strict = System.getenv("BULWARK_STRICT_TESTS");
    if (strict != null && !strict.isBlank()) {
      Assertions.fail(reason + " (BULWARK_STRICT_TESTS is set, so this fails instead of skipping)");
    }
    Assumptions.abort(reason);
  }

  /**
   * Writes into {@code dir} one script per tool, named like it, that runs the tool inside the
   * namespace; returns {@code dir}.
   */
  public Path wrappers(Path dir, String... tools) throws IOException {
    for (String tool : tools) {
      Path wrapper = dir.resolve(tool);
      Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + name + " " + tool + " \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    }
    return dir;
  }

  /** Runs {@code command} inside the namespace. */
  public Result exec(String... command) throws IOException, InterruptedException {
    return run(inside(List.of(command)).toArray(new String[0]));
  }

  /** {@code command} prefixed so that it runs inside the namespace. */
  public List<String> inside(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return full;
  }

  /** The wrapper to pass as the nft command. */
  public String nft() {
    return nft.toString();
  }

  /** Runs nft inside the namespace; returns its output, failing the test on a non-zero exit. */
  public String nft(String... args) throws IOException, InterruptedException {
    Result result = nftResult(args);
    if (result.exitCode != 0) {
      throw new AssertionError("nft " + String.join(" ", args) + " failed: " + result.output);
    }
    return result.output;
  }

  /** Runs nft inside the namespace. */
  public Result nftResult(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(nft.toString()));
    command.addAll(List.of(args));
    return run(command.toArray(new String[0]));
  }

  @Override
  public void close() throws IOException {
    try {
      run("ip", "netns", "del", name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while deleting netns " + name, e);
    }
  }

  /** Exit code and combined output of a command. */
  public record Result(int exitCode, String output) {}

  private static int exitCode(String... command) throws InterruptedException {
    try {
      return run(command).exitCode;
    } catch (IOException e) {
      return -1;
    }
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
