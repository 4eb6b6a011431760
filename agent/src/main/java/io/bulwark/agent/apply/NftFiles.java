package io.bulwark.agent.apply;

import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.agent.host.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Runs {@code nft -f} on transaction files it writes in the agent's data dir. Not thread-safe. */
final class NftFiles {

  private final String nft;
  private final Path workDir;
  private final CommandRunner runner;
  private final Duration timeout;

  NftFiles(String nft, Path workDir, CommandRunner runner, Duration timeout) {
    this.nft = nft;
    this.workDir = workDir;
    this.runner = runner;
    this.timeout = timeout;
  }

  CommandRunner.Result load(String fileName, String text) throws IOException {
    return runner.run(List.of(nft, "-f", scratch(fileName, text).toString()), timeout);
  }

  /**
   * Writes what nft is to read: owner-only, not synced (nft reads it at once and a crash only loses
   * a file that is written anew), and streamed, with no copy of a large table as bytes.
   */
  private Path scratch(String fileName, String text) throws IOException {
    Path file = workDir.resolve(fileName);
    Files.deleteIfExists(file);
    Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY));
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.WRITE)) {
      out.write(text);
    }
    return file;
  }

  /**
   * A table replacement of up to {@link NftablesApplier#FULL_COMPARE_LIMIT} elements: {@code nft -c -f} first, which has the kernel validate the whole
   * transaction without committing it, then {@code nft -f}. A rule set the check refuses never
   * reaches the load, so the live table is not even briefly touched, and the refusal names nft's
   * reason. Element deltas skip the check: they only add and delete elements of declared sets, and
   * one that fails leaves the table unchanged and is followed by a checked replacement. Not
   * thread-safe: the applier is driven by one thread.
   *
   * @return empty when loaded, else why not, naming the step that refused
   */
  Optional<String> checkThenLoad(String fileName, String text) throws IOException {
    Path file = scratch(fileName, text);
    CommandRunner.Result check = runner.run(List.of(nft, "-c", "-f", file.toString()), timeout);
    if (!check.succeeded()) {
      return Optional.of(check.describe(check.timedOut() ? "nft -c" : "nft -c refused the rule set", timeout));
    }
    CommandRunner.Result load = runner.run(List.of(nft, "-f", file.toString()), timeout);
    return load.succeeded() ? Optional.empty() : Optional.of(load.describe("nft -f", timeout));
  }
}
