package io.bulwark.agent.apply;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies an nftables rule set to {@code table inet bulwark} and nothing else.
 *
 * <p>The rules are first checked by {@link NftRulesetGuard}. They are then loaded with one {@code
 * nft -f} transaction that creates the table if needed, deletes it and defines it anew, so nft
 * either replaces the whole table or changes nothing. The table is read back with {@code nft -s
 * list table inet bulwark} and compared with what was sent using {@link NftTableText}; if they
 * differ, the table that was there before is put back, so that {@link ApplyOutcome.Failed} always
 * means "the previous rules are in place". A table above {@link #FULL_COMPARE_LIMIT} elements is
 * never listed: it changes by element deltas, taken from the controller's line delta when the
 * rules came as one ({@link #apply(Supplier, LineChange)}, no pass over the rules), else found by
 * comparing element hashes with the rules applied before.
 *
 * <p>Not thread-safe: the agent applies one rule set at a time.
 */
public final class NftablesApplier implements Applier {

  public static final String KIND = "nftables";

  /** Above this many set elements, drift checks compare structure only; see {@link #inspect}. */
  public static final int FULL_COMPARE_LIMIT = 10_000;

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** How often a large table's elements are compared by default: listing it stalls applies. */
  public static final Duration DEFAULT_ELEMENT_CHECK = Duration.ofHours(24);
  private static final String REPLACE_PREFIX =
      NftRulesetGuard.TABLE + " {}\ndelete " + NftRulesetGuard.TABLE + "\n";

  /** The table before an apply: {@code text} is null when there was none. */
  private record Previous(boolean known, String text) {}

  private final String nft;
  private final Duration timeout;
  private final CommandRunner runner;
  private final NftLargeTable large;
  private final NftFiles files;
  /**
   * What this applier last put in place and verified, indexed; null when not known, or when a line
   * change put {@link #linesRules} in place and they are not indexed yet.
   */
  private NftElementLists lastApplied;
  /** For a large table, where the elements of the rules last put in place lie by line, and those rules. */
  private NftElementLines lines;
  private String linesRules;
  /** The rules last indexed by {@link #index} and their index: drift checks ask for the same rules again. */
  private String indexedRules;
  private NftElementLists indexedRaw;
  private NftElementLists indexed;

  /**
   * @param nft the nft command, a name looked up on PATH or a path
   * @param workDir where the transaction files are written (the agent's data dir)
   */
  public NftablesApplier(String nft, Path workDir) {
    this(nft, workDir, DEFAULT_TIMEOUT);
  }

  public NftablesApplier(String nft, Path workDir, Duration timeout) {
    this(nft, workDir, timeout, DEFAULT_ELEMENT_CHECK);
  }

  /**
   * @param elementCheckEvery how often a drift check of a table too large to list each time lists
   *     it whole to compare its elements (see {@link #inspect}); zero: every time
   */
  public NftablesApplier(String nft, Path workDir, Duration timeout, Duration elementCheckEvery) {
    this.nft = nft;
    this.timeout = timeout;
    this.runner = new CommandRunner(workDir);
    this.large = new NftLargeTable(nft, runner, timeout, elementCheckEvery);
    this.files = new NftFiles(nft, workDir, runner, timeout);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void known(String appliedRules) {
    applied(appliedRules, index(appliedRules));
  }

  /** Records {@code lists} (the index of {@code rules}, or null) as what is in place. */
  private void applied(String rules, NftElementLists lists) {
    lastApplied = lists;
    boolean large = lists != null && lists.elementCount() > FULL_COMPARE_LIMIT;
    lines = !large ? null
        : NftElementLines.of(rules.equals(indexedRules) ? indexedRaw : NftElementLists.of(rules));
    linesRules = large ? rules : null;
  }

  /** What is in place, indexed when a line change left it unindexed; null when not known. */
  private NftElementLists lastApplied() {
    if (lastApplied == null && linesRules != null) {
      lastApplied = index(linesRules);
    }
    return lastApplied;
  }

  /** {@code rules} indexed {@linkplain NftSetSizes#loaded as loaded}; null when they are not element lists. */
  private NftElementLists index(String rules) {
    if (!rules.equals(indexedRules)) {
      indexedRaw = NftElementLists.of(rules);
      indexed = NftSetSizes.loaded(indexedRaw);
      indexedRules = rules;
    }
    return indexed;
  }

  @Override
  public ApplyOutcome apply(String rules) {
    NftElementLists lists = index(rules);
    // Element lists hold no statements (see NftElementLists), so the skeleton is what to check.
    Optional<String> refusal = NftRulesetGuard.check(lists == null ? rules : lists.skeleton());
    if (refusal.isPresent()) {
      return new ApplyOutcome.Failed("refused: " + refusal.get());
    }
    try {
      return lists != null && lists.elementCount() > FULL_COMPARE_LIMIT
          ? applyLarge(rules, lists)
          : applyFullCompare(rules, lists);
    } catch (IOException e) {
      return new ApplyOutcome.Failed("cannot run " + nft + ": " + e.getMessage());
    }
  }

  /**
   * For a large table whose rules {@code change} starts from: only the elements the change adds and
   * deletes, in one transaction, with no pass over the rest of the rules. Nothing is read back: the
   * transaction touches no chain, rule or declaration, and nft commits it whole or not at all,
   * refusing it when a set is missing or an element to delete is not there (then the rules are
   * applied whole, as when the change does not map); the drift check reads the structure as usual.
   */
  @Override
  public ApplyOutcome apply(Supplier<String> rules, LineChange change) {
    NftElementLines from = lines;
    NftElementLines.Change elements =
        change == null || from == null || !change.base().equals(linesRules)
            ? null
            : from.change(change.base(), change.edits(), from.elementCount() / 2);
    if (elements == null) {
      return apply(rules.get());
    }
    try {
      CommandRunner.Result load =
          elements.script().isEmpty() ? null : load("bulwark-delta.nft", elements.script());
      if (load == null || load.succeeded()) {
        String made;
        try {
          made = rules.get();
        } catch (RuntimeException e) {
          return putBack(change.base(), e);
        }
        lastApplied = null;
        lines = elements.next();
        linesRules = made;
        return new ApplyOutcome.Applied("inet bulwark: " + elements.added() + " added, "
            + elements.deleted() + " deleted by line delta in one transaction");
      }
    } catch (IOException e) {
      return new ApplyOutcome.Failed("cannot run " + nft + ": " + e.getMessage());
    }
    return apply(rules.get());
  }

  /**
   * After a change whose rules could not be made: the table it started from, put back whole, so
   * that Failed still means the previous rules are in place.
   */
  private ApplyOutcome putBack(String base, RuntimeException why) {
    ApplyOutcome back = restore(base);
    return new ApplyOutcome.Failed(why.getMessage() + (back instanceof ApplyOutcome.Failed failed
        ? "; putting the previous table back FAILED: " + failed.error()
        : "; the previous table was put back"));
  }

  /** Replaces the table and compares all of it with what was sent. */
  private ApplyOutcome applyFullCompare(String rules, NftElementLists lists) throws IOException {
    NftTableText intended;
    try {
      intended = NftTableText.parse(rules);
    } catch (AgentException e) {
      return new ApplyOutcome.Failed("cannot parse the rule set: " + e.getMessage());
    }
    Previous previous = currentTable();
    Optional<String> refused = checkThenLoad("bulwark.nft", REPLACE_PREFIX + withNewline(rules));
    if (refused.isPresent()) {
      return new ApplyOutcome.Failed(refused.get());
    }
    CommandRunner.Result list = list();
    if (!list.succeeded()) {
      return new ApplyOutcome.Failed(
          rollBack(previous, "reading the table back failed: " + list.describe("nft list", timeout)));
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
      return new ApplyOutcome.Failed(rollBack(previous, "read-back differs: " + difference.get()));
    }
    applied(rules, lists);
    return new ApplyOutcome.Applied(actual.summary());
  }

  /**
   * A table too large to list: when only elements of sets without intervals differ from what this
   * applier last put in place, one transaction of element deletes and adds; otherwise a
   * replacement. Either way the structure is read back ({@link NftLargeTable}). Interval sets are
   * replaced whole: nft 1.0.6 reads an interval set's elements from the kernel before it adds to
   * or deletes from it, which for a million elements took over a minute against seconds for a new
   * table.
   */
  private ApplyOutcome applyLarge(String rules, NftElementLists lists) throws IOException {
    NftElementLists before = lastApplied();
    NftElementDelta.Change change =
        before == null ? null : NftElementDelta.between(before, lists, lists.elementCount() / 2);
    if (change != null) {
      CommandRunner.Result load =
          change.script().isEmpty() ? null : load("bulwark-delta.nft", change.script());
      if (load == null || load.succeeded()) {
        Optional<String> difference = large.difference(lists);
        if (difference.isEmpty()) {
          applied(rules, lists);
          return new ApplyOutcome.Applied(
              summary(lists) + "; " + change.added() + " added, " + change.deleted()
                  + " deleted in one transaction");
        }
      }
      // The live table was not what this applier left there: replace it whole.
    }
    Previous previous = before != null ? new Previous(true, before.text()) : currentTable();
    // No nft -c first here: for a table this large the check costs as much as the load (with a million
    // elements, 4 s more), and the load is one transaction that nft either commits whole or refuses,
    // leaving the previous table in place; the refusal names nft's reason all the same.
    CommandRunner.Result load = load("bulwark.nft", REPLACE_PREFIX + withNewline(lists.text()));
    if (!load.succeeded()) {
      return new ApplyOutcome.Failed(load.describe("nft -f", timeout));
    }
    Optional<String> difference = large.difference(lists);
    if (difference.isPresent()) {
      return new ApplyOutcome.Failed(rollBack(previous, "read-back differs: " + difference.get()));
    }
    applied(rules, lists);
    return new ApplyOutcome.Applied(summary(lists) + "; table replaced");
  }

  private static String summary(NftElementLists lists) {
    int sets = lists.lists().size();
    return "inet bulwark: " + sets + (sets == 1 ? " set (" : " sets (") + lists.elementCount()
        + " elements; structure read back)";
  }

  @Override
  public Optional<String> snapshot() {
    try {
      String known = linesRules;
      if (known != null) {
        // Too large to list: the rules this applier put there, as they came (the same text the
        // agent keeps, so commit-confirm can link to its file), stand for it, without running
        // nft, as this is read on the way to every apply. Drift checks watch the table; should
        // someone have removed it by hand since, a rollback puts these last rules back.
        return Optional.of(known);
      }
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
   * element. Larger ones are compared in structure ({@link NftLargeTable}): chains, rules and set
   * declarations; their elements only when an element check is due, since listing a million
   * elements takes nft 1.0.6 over 20 s, during which nothing is applied.
   */
  @Override
  public LiveState inspect(String appliedRules) {
    NftElementLists lists = index(appliedRules);
    if (lists != null && lists.elementCount() > FULL_COMPARE_LIMIT) {
      try {
        return large.drift(lists).<LiveState>map(LiveState.Drifted::new).orElseGet(LiveState.InSync::new);
      } catch (IOException e) {
        return new LiveState.Unknown("cannot run " + nft + ": " + e.getMessage());
      }
    }
    NftTableText applied;
    try {
      applied = NftTableText.parse(appliedRules);
    } catch (AgentException e) {
      return new LiveState.Unknown("cannot parse the applied rules: " + e.getMessage());
    }
    try {
      CommandRunner.Result list = list();
      if (!list.succeeded()) {
        return list.stderr().contains("No such file or directory")
            ? new LiveState.Drifted(NftRulesetGuard.TABLE + " is missing")
            : new LiveState.Unknown(list.describe("nft list", timeout));
      }
      NftTableText live = NftTableText.parse(list.stdout());
      Optional<String> difference = applied.firstDifference(live);
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
      NftElementLists lists = snapshot.isEmpty() ? null : index(snapshot);
      String text = lists != null ? lists.text() : snapshot;
      CommandRunner.Result result =
          load("bulwark-restore.nft", REPLACE_PREFIX + (text.isEmpty() ? "" : withNewline(text)));
      if (!result.succeeded()) {
        applied("", null);
        return new ApplyOutcome.Failed(result.describe("nft -f", timeout));
      }
      applied(snapshot, lists);
      return new ApplyOutcome.Applied("restored the previous table");
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
    if (!result.succeeded()) {
      applied("", null);
    }
    return result.succeeded()
        ? reason + "; the previous table was restored"
        : reason + "; restoring the previous table failed: " + result.describe("nft -f", timeout);
  }

  private CommandRunner.Result load(String fileName, String text) throws IOException {
    return files.load(fileName, text);
  }

  private Optional<String> checkThenLoad(String fileName, String text) throws IOException {
    return files.checkThenLoad(fileName, text);
  }

  private CommandRunner.Result list() throws IOException {
    return runner.run(List.of(nft, "-s", "list", "table", "inet", "bulwark"), timeout);
  }

  private static String withNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }
}
