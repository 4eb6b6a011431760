package io.bulwark.agent.apply;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.agent.host.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Applies an nftables rule set to {@code table inet bulwark} and nothing else.
 *
 * <p>The rules are first checked by {@link NftRulesetGuard}. They are then loaded with one {@code
 * nft -f} transaction that creates the table if needed, deletes it and defines it anew, so nft
 * either replaces the whole table or changes nothing. The table is read back with {@code nft -s
 * list table inet bulwark} and compared with what was sent using {@link NftTableText}; if they
 * differ, the table that was there before is put back, so that {@link ApplyOutcome.Failed} always
 * means "the previous rules are in place".
 *
 * <p>Not thread-safe: the agent applies one rule set at a time.
 */
public final class NftablesApplier implements Applier {

  public static final String KIND = "nftables";

  /** Above this many set elements, drift checks compare structure only; see {@link #inspect}. */
  public static final int FULL_COMPARE_LIMIT = 10_000;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final String REPLACE_PREFIX =
      NftRulesetGuard.TABLE + " {}\ndelete " + NftRulesetGuard.TABLE + "\n";

  /** The table before an apply: {@code text} is null when there was none. */
  private record Previous(boolean known, String text) {}

  private final String nft;
  private final Path workDir;
  private final Duration timeout;
  private final CommandRunner runner;

  /**
   * @param nft the nft command, a name looked up on PATH or a path
   * @param workDir where the transaction files are written (the agent's data dir)
   */
  public NftablesApplier(String nft, Path workDir) {
    this(nft, workDir, DEFAULT_TIMEOUT);
  }

  public NftablesApplier(String nft, Path workDir, Duration timeout) {
    this.nft = nft;
    this.workDir = workDir;
    this.timeout = timeout;
    this.runner = new CommandRunner(workDir);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ApplyOutcome apply(String rules) {
    Optional<String> refusal = NftRulesetGuard.check(rules);
    if (refusal.isPresent()) {
      return new ApplyOutcome.Failed("refused: " + refusal.get());
    }
    NftTableText intended;
    try {
      intended = NftTableText.parse(rules);
    } catch (AgentException e) {
      return new ApplyOutcome.Failed("cannot parse the rule set: " + e.getMessage());
    }
    try {
      Previous previous = currentTable();
      CommandRunner.Result load = load("bulwark.nft", REPLACE_PREFIX + withNewline(rules));
      if (!load.succeeded()) {
        return new ApplyOutcome.Failed(describe("nft -f", load));
      }
      CommandRunner.Result list = list();
      if (!list.succeeded()) {
        return new ApplyOutcome.Failed(
            rollBack(previous, "reading the table back failed: " + describe("nft list", list)));
      }
      NftTableText actual;
      try {
        actual = NftTableText.parse(list.stdout());
      } catch (AgentException e) {
        return new ApplyOutcome.Failed(
            rollBack(previous, "cannot parse what nft printed: " + e.getMessage()));
      }
      Optional<String> difference = intended.firstDifference(actual);
      if (difference.isPresent()) {
        return new ApplyOutcome.Failed(
            rollBack(previous, "read-back differs: " + difference.get()));
      }
      return new ApplyOutcome.Applied(actual.summary());
    } catch (IOException e) {
      return new ApplyOutcome.Failed("cannot run " + nft + ": " + e.getMessage());
    }
  }

  @Override
  public Optional<String> snapshot() {
    try {
      Previous previous = currentTable();
      if (!previous.known()) {
        return Optional.empty();
      }
      return Optional.of(previous.text() == null ? "" : previous.text());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Tables up to {@link #FULL_COMPARE_LIMIT} elements are listed in full and compared element by
   * element. Larger ones are listed with {@code nft -t} (terse: sets without their elements, which
   * costs nothing however large the sets are) and compared in structure: chains, rules and set
   * declarations. A hand-added or removed element in such a large set is not seen by this check.
   */
  @Override
  public LiveState inspect(String appliedRules) {
    NftTableText applied;
    try {
      applied = NftTableText.parse(appliedRules);
    } catch (AgentException e) {
      return new LiveState.Unknown("cannot parse the applied rules: " + e.getMessage());
    }
    boolean large = applied.elementCount() > FULL_COMPARE_LIMIT;
    try {
      List<String> command =
          large
              ? List.of(nft, "-s", "-t", "list", "table", "inet", "bulwark")
              : List.of(nft, "-s", "list", "table", "inet", "bulwark");
      CommandRunner.Result list = runner.run(command, timeout);
      if (!list.succeeded()) {
        return list.stderr().contains("No such file or directory")
            ? new LiveState.Drifted(NftRulesetGuard.TABLE + " is missing")
            : new LiveState.Unknown(describe("nft list", list));
      }
      NftTableText live = NftTableText.parse(list.stdout());
      Optional<String> difference =
          (large ? applied.withoutElements() : applied).firstDifference(live);
      return difference.<LiveState>map(LiveState.Drifted::new).orElseGet(LiveState.InSync::new);
    } catch (IOException e) {
      return new LiveState.Unknown("cannot run " + nft + ": " + e.getMessage());
    } catch (AgentException e) {
      return new LiveState.Unknown("cannot parse what nft printed: " + e.getMessage());
    }
  }

  @Override
  public ApplyOutcome restore(String snapshot) {
    try {
      // With no previous table, the prefix alone (create, then delete) removes ours.
      CommandRunner.Result result =
          load("bulwark-restore.nft", REPLACE_PREFIX + (snapshot.isEmpty() ? "" : withNewline(snapshot)));
      return result.succeeded()
          ? new ApplyOutcome.Applied("restored the previous table")
          : new ApplyOutcome.Failed(describe("nft -f", result));
    } catch (IOException e) {
      return new ApplyOutcome.Failed("cannot run " + nft + ": " + e.getMessage());
    }
  }

  private Previous currentTable() throws IOException {
    CommandRunner.Result list = list();
    if (list.succeeded()) {
      return new Previous(true, list.stdout());
    }
    boolean absent = list.stderr().contains("No such file or directory");
    return new Previous(absent, null);
  }

  private String rollBack(Previous previous, String reason) throws IOException {
    if (!previous.known()) {
      return reason + "; the previous table could not be read, so it was not restored";
    }
    // With no previous table, the prefix alone (create, then delete) removes the new one.
    String restore = REPLACE_PREFIX + (previous.text() == null ? "" : withNewline(previous.text()));
    CommandRunner.Result result = load("bulwark-rollback.nft", restore);
    return result.succeeded()
        ? reason + "; the previous table was restored"
        : reason + "; restoring the previous table failed: " + describe("nft -f", result);
  }

  private CommandRunner.Result load(String fileName, String text) throws IOException {
    Path file = workDir.resolve(fileName);
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
    return runner.run(List.of(nft, "-f", file.toString()), timeout);
  }

  private CommandRunner.Result list() throws IOException {
    return runner.run(List.of(nft, "-s", "list", "table", "inet", "bulwark"), timeout);
  }

  private String describe(String what, CommandRunner.Result result) {
    if (result.timedOut()) {
      return what + " did not finish within " + timeout.toSeconds() + " s";
    }
    String stderr = result.stderr().strip();
    return stderr.isEmpty() ? what + " exited with status " + result.exitCode() : stderr;
  }

  private static String withNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }
}
