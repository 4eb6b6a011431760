package io.bulwark.agent.apply;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checks a large {@code table inet bulwark} against the rules meant to be in it without reading its
 * elements. nft 1.0.6 fetches a whole set from the kernel to list it, to answer {@code get
 * element}, and even for {@code nft -t list table}: measured in a namespace, a million elements
 * took 21-24 s in a hash set and over 70 s in an interval set, whereas {@code nft -t list ruleset}
 * leaves elements out and answers in milliseconds. So the structure (set declarations, chains and
 * their rules) is read that way and must equal the rules' {@linkplain NftElementLists#skeleton
 * skeleton}; the elements themselves are vouched for by nft's transaction, which loads all of them
 * or none. An element added or removed by hand is seen only by the element check that {@link
 * #drift} runs now and then, which lists the table whole. Not thread-safe (the applier's thread
 * only).
 */
final class NftLargeTable {

  /** Listing a table whole takes nft 1.0.6 over 20 s for a million elements; allow it this long. */
  private static final Duration LISTING_TIMEOUT = Duration.ofMinutes(5);
  /** How many differing elements a drift report names, per set and direction. */
  private static final int EXAMPLES = 3;

  private final String nft;
  private final CommandRunner runner;
  private final Duration timeout;
  private final Duration elementCheckEvery;
  private long lastElementCheck = System.nanoTime();

  /**
   * @param elementCheckEvery how often {@link #drift} lists the table whole to compare elements;
   *     zero: at every drift check
   */
  NftLargeTable(String nft, CommandRunner runner, Duration timeout, Duration elementCheckEvery) {
    this.nft = nft;
    this.runner = runner;
    this.timeout = timeout;
    this.elementCheckEvery = elementCheckEvery;
  }

  /**
   * A drift check: the structure, and when an element check is due, the elements too. Elements
   * are compared by their hashes ({@link NftElementDelta#hash}), set by set.
   */
  Optional<String> drift(NftElementLists rules) throws IOException {
    Optional<String> structure = difference(rules);
    if (structure.isPresent() || System.nanoTime() - lastElementCheck < elementCheckEvery.toNanos()) {
      return structure;
    }
    CommandRunner.Result list =
        runner.run(List.of(nft, "-s", "list", "table", "inet", "bulwark"), LISTING_TIMEOUT);
    if (!list.succeeded()) {
      return Optional.of(list.describe("nft list table", LISTING_TIMEOUT));
    }
    lastElementCheck = System.nanoTime();
    NftElementLists live = NftElementLists.of(list.stdout());
    if (live == null || live.lists().size() != rules.lists().size()) {
      return Optional.of("the listed table's sets do not match the rules applied");
    }
    StringBuilder differences = new StringBuilder();
    for (int i = 0; i < rules.lists().size(); i++) {
      long[][] only = NftElementDelta.onlyInEach(rules.sortedHashes(i), live.sortedHashes(i));
      String set = rules.lists().get(i).set();
      describe(differences, set, only[1].length, "not put there by bulwark", live.elementsWithHashIn(i, only[1]));
      describe(differences, set, only[0].length, "missing", rules.elementsWithHashIn(i, only[0]));
    }
    return differences.length() == 0 ? Optional.empty() : Optional.of(differences.toString());
  }

  private static void describe(StringBuilder out, String set, int count, String what, List<String> elements) {
    if (count == 0) {
      return;
    }
    out.append(out.length() == 0 ? "" : "; ").append("set ").append(set).append(": ").append(count)
        .append(count == 1 ? " element " : " elements ").append(what).append(" (")
        .append(String.join(", ", elements.subList(0, Math.min(EXAMPLES, elements.size()))))
        .append(elements.size() > EXAMPLES ? ", ..." : "").append(')');
  }

  /** The first difference between the live table's structure and {@code rules}, or empty. */
  Optional<String> difference(NftElementLists rules) throws IOException {
    CommandRunner.Result list = terseRuleset();
    if (!list.succeeded()) {
      return Optional.of(list.describe("nft list ruleset", timeout));
    }
    Optional<String> table = ourTable(list.stdout());
    if (table.isEmpty()) {
      return Optional.of(NftRulesetGuard.TABLE + " is missing");
    }
    try {
      NftTableText want = NftTableText.parse(rules.skeleton()).withoutElements();
      return want.firstDifference(NftTableText.parse(table.get()));
    } catch (AgentException e) {
      return Optional.of("cannot parse the table: " + e.getMessage());
    }
  }

  /** Our table's block in a ruleset listing, as nft prints it (the closing brace in column 0). */
  static Optional<String> ourTable(String ruleset) {
    String head = NftRulesetGuard.TABLE + " {";
    int start = ruleset.startsWith(head) ? 0 : ruleset.indexOf("\n" + head);
    if (start < 0) {
      return Optional.empty();
    }
    start = ruleset.charAt(start) == '\n' ? start + 1 : start;
    int end = ruleset.indexOf("\n}", start);
    return end < 0 ? Optional.empty() : Optional.of(ruleset.substring(start, end + 2) + "\n");
  }

  private CommandRunner.Result terseRuleset() throws IOException {
    return runner.run(List.of(nft, "-s", "-t", "list", "ruleset"), timeout);
  }
}
