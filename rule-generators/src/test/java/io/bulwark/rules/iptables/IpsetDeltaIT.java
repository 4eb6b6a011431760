package io.bulwark.rules.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.DeltaState;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleChange;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.Generations;
import io.bulwark.rules.testing.NetnsFixture;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restores full(N) and then delta(N, N+1) with the real {@code ipset} in one namespace and
 * full(N+1) in another: {@code ipset save} must list the same sets and members in both. The same
 * for the deltas of a tracked {@link DeltaState}, generation after generation on one namespace.
 */
class IpsetDeltaIT {

  private final IptablesGenerator generator = new IptablesGenerator();

  @BeforeEach
  void requireTools() {
    Optional<String> reason = NetnsFixture.unavailableReason();
    if (reason.isPresent()) {
      ExternalTool.skipOrFail("skipping ipset delta test: " + reason.get());
    }
    ExternalTool.require("ipset", "ipset", "version");
  }

  @Test
  void delta_thousandChangedOfTenThousand_equalsFullNextGeneration() {
    List<Term> terms = Generations.ipv4Terms(10_000, 5);
    RuleInput from = Generations.input(1, terms);
    RuleInput to = Generations.input(2, Generations.changed(terms, 1000, 6));
    GenerationResult.Rules delta = (GenerationResult.Rules) generator.delta(from, to);
    assertEquals(List.of(IptablesGenerator.DELTA_FILE), List.copyOf(delta.files().keySet()));
    assertEquals(2000, delta.text().lines().count(), "1000 del and 1000 add");

    try (NetnsFixture patched = NetnsFixture.create();
        NetnsFixture fresh = NetnsFixture.create()) {
      restore(patched, sets(from));
      restore(patched, delta.text());
      restore(fresh, sets(to));
      List<String> expected = saved(fresh);
      List<String> actual = saved(patched);
      assertEquals(10_003, expected.size(), "two sets, 10,000 prefixes and one port");
      assertTrue(expected.equals(actual), "patched sets differ from full(N+1)");
    }
  }

  @Test
  void trackedDelta_runOfChanges_equalsFullOfEveryNextGeneration() {
    RuleInput input = Generations.input(1, Generations.ipv4Terms(10_000, 7));
    DeltaState state = generator.track(input).state();
    List<Term> next = Generations.changed(input.countermeasures().get(0).terms(), 1000, 8);
    List<RuleChange> changes =
        List.of(
            RuleChange.between(input, Generations.input(2, next)),
            // About 600 of the addresses fall inside: they leave the set for the /12.
            block(3, List.of(), List.of(prefix("10.0.0.0/12"))),
            block(4, List.of(prefix("10.0.0.0/12")), List.of(prefix("10.0.0.1"))));
    try (NetnsFixture patched = NetnsFixture.create()) {
      restore(patched, sets(input));
      for (RuleChange change : changes) {
        GenerationResult.Rules delta = (GenerationResult.Rules) state.apply(change);
        assertEquals(List.of(IptablesGenerator.DELTA_FILE), List.copyOf(delta.files().keySet()));
        input = change.applyTo(input);
        restore(patched, delta.text());
        try (NetnsFixture fresh = NetnsFixture.create()) {
          restore(fresh, sets(input));
          assertTrue(
              saved(fresh).equals(saved(patched)),
              "generation " + change.generation() + " differs from its full rule set");
        }
      }
    }
  }

  private static RuleChange block(long generation, List<Term> removed, List<Term> added) {
    return new RuleChange(
        generation,
        List.of(),
        removed.isEmpty() ? List.of() : List.of(new CountermeasureTerms(1, Action.BLOCK, removed)),
        List.of(new CountermeasureTerms(1, Action.BLOCK, added)));
  }

  private static Term prefix(String text) {
    return ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }

  private String sets(RuleInput input) {
    GenerationResult.Rules rules = (GenerationResult.Rules) generator.generate(input);
    return rules.files().get(IptablesGenerator.IPSET_FILE);
  }

  private static void restore(NetnsFixture netns, String commands) {
    CommandResult restore = netns.execWithInput(commands, "ipset", "restore");
    assertTrue(restore.ok(), () -> "ipset restore failed:\n" + restore.stderr());
  }

  /**
   * Returns the saved sets as sorted lines, since hash sets list members in hash order; {@code
   * create} lines keep only name and type, because the kernel picks a random {@code initval} and
   * grows {@code hashsize} as members arrive.
   */
  private static List<String> saved(NetnsFixture netns) {
    CommandResult save = netns.exec("ipset", "save");
    assertTrue(save.ok(), save.stderr());
    return save.stdout()
        .lines()
        .map(line -> line.startsWith("create ") ? String.join(" ", first(line, 3)) : line)
        .sorted()
        .toList();
  }

  private static List<String> first(String line, int words) {
    return List.of(line.split(" ")).subList(0, words);
  }
}
