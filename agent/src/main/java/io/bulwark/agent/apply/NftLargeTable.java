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
 * or none. An element added or removed by hand is not seen here. Not thread-safe (the applier's
 * thread only).
 */
final class NftLargeTable {

  private final String nft;
  private final CommandRunner runner;
  private final Duration timeout;

  NftLargeTable(String nft, CommandRunner runner, Duration timeout) {
    this.nft = nft;
    this.runner = runner;
    this.timeout = timeout;
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

  /** Whether the table exists: true, false, or empty when nft could not tell. */
  Optional<Boolean> exists() throws IOException {
    CommandRunner.Result list = terseRuleset();
    return list.succeeded() ? Optional.of(ourTable(list.stdout()).isPresent()) : Optional.empty();
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
