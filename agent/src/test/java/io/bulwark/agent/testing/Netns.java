package io.bulwark.agent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scratch network namespace with its own, empty nftables ruleset, and an {@code nft} wrapper
 * script that runs inside it. Tests skip (JUnit assumptions) when not root or when {@code ip} or
 * {@code nft} is missing. Always {@link #close()} it.
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
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a netns");
    assumeTrue(exitCode("ip", "-V") == 0, "needs the ip command (iproute2)");
    assumeTrue(exitCode("nft", "--version") == 0, "needs the nft command (nftables)");
    String name = "bwagent-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Result created = run("ip", "netns", "add", name);
    assumeTrue(created.exitCode == 0, "cannot create a netns: " + created.output);
    Path wrapper = scratch.resolve("nft-in-" + name);
    Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + name + " nft \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    return new Netns(name, wrapper);
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
