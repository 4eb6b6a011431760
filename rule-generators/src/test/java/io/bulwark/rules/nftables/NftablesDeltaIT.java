package io.bulwark.rules.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.DeltaState;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleChange;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.Generations;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies full(N) and then delta(N, N+1) with the real {@code nft} in a fresh namespace, and reads
 * the table back: it must be exactly full(N+1). The same for the deltas of a tracked {@link
 * DeltaState}, generation after generation on one table.
 */
class NftablesDeltaIT {

  private final NftablesGenerator generator = new NftablesGenerator();

  @BeforeEach
  void requireNetns() {
    Optional<String> reason = NetnsFixture.unavailableReason();
    if (reason.isPresent()) {
      ExternalTool.skipOrFail("skipping nft delta test: " + reason.get());
    }
  }

  @Test
  void delta_thousandChangedTermsOfTenThousand_equalsFullNextGeneration() {
    List<Term> terms = Generations.ipv4Terms(10_000, 1);
    List<Term> next = Generations.changed(terms, 1000, 2);
    assertAppliedDeltaEqualsFull(Generations.input(1, terms), Generations.input(2, next));
  }

  @Test
  void trackedDelta_runOfChanges_equalsFullOfEveryNextGeneration() {
    RuleInput input = Generations.input(1, Generations.ipv4Terms(10_000, 3));
    DeltaState state = generator.track(input).state();
    List<Term> next = Generations.changed(input.countermeasures().get(0).terms(), 1000, 4);
    List<RuleChange> changes =
        List.of(
            RuleChange.between(input, Generations.input(2, next)),
            // About 600 of the addresses fall inside: they leave the set for the /12.
            terms(3, List.of(), List.of(prefix("10.0.0.0/12"))),
            // They come back, and the IPv6 set appears: the table is replaced.
            terms(4, List.of(prefix("10.0.0.0/12")), List.of(prefix("2001:db8::/32"))),
            new RuleChange(
                5,
                List.of(),
                List.of(),
                List.of(
                    new CountermeasureTerms(
                        3, Action.BLOCK, List.of(new PortTerm(Protocol.UDP, 53))))));
    try (NetnsFixture netns = NetnsFixture.create()) {
      load(netns, text(generator.generate(input)), "full load");
      for (RuleChange change : changes) {
        String delta = text(state.apply(change));
        input = change.applyTo(input);
        if (change.generation() <= 3) {
          assertTrue(delta.startsWith("delete element inet bulwark cm1_v4 { "), delta);
        }
        load(netns, delta, "delta to generation " + change.generation());
        CommandResult list = netns.exec("nft", "-s", "list", "table", "inet", "bulwark");
        assertEquals(
            NftablesValidationIT.joinedElements(text(generator.generate(input))),
            NftablesValidationIT.joinedElements(list.stdout()),
            "generation " + change.generation());
      }
    }
  }

  /** A change of the BLOCK countermeasure 1 of {@link Generations#input}. */
  private static RuleChange terms(long generation, List<Term> removed, List<Term> added) {
    return new RuleChange(
        generation,
        List.of(),
        removed.isEmpty() ? List.of() : List.of(new CountermeasureTerms(1, Action.BLOCK, removed)),
        List.of(new CountermeasureTerms(1, Action.BLOCK, added)));
  }

  private static Term prefix(String text) {
    return ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }

  private static void load(NetnsFixture netns, String text, String what) {
    CommandResult load = netns.execWithInput(text, "nft", "-f", "-");
    assertTrue(load.ok(), () -> what + " failed:\n" + load.stderr());
  }

  static Stream<GoldenCase[]> goldenPairs() {
    List<GoldenCase> cases = GoldenCase.all(NftablesGenerator.ID).toList();
    return cases.stream()
        .flatMap(a -> cases.stream().filter(b -> b != a).map(b -> new GoldenCase[] {a, b}));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("goldenPairs")
  void delta_betweenGoldenCases_equalsFullNextGeneration(GoldenCase from, GoldenCase to) {
    assertAppliedDeltaEqualsFull(from.input(), to.input());
  }

  private void assertAppliedDeltaEqualsFull(RuleInput from, RuleInput to) {
    String full = text(generator.generate(from));
    String delta = text(generator.delta(from, to));
    String expected = text(generator.generate(to));
    try (NetnsFixture netns = NetnsFixture.create()) {
      CommandResult load = netns.execWithInput(full, "nft", "-f", "-");
      assertTrue(load.ok(), () -> "full load failed:\n" + load.stderr());
      CommandResult apply = netns.execWithInput(delta, "nft", "-f", "-");
      assertTrue(apply.ok(), () -> "delta failed:\n" + apply.stderr());
      CommandResult list = netns.exec("nft", "-s", "list", "table", "inet", "bulwark");
      assertEquals(
          NftablesValidationIT.joinedElements(expected),
          NftablesValidationIT.joinedElements(list.stdout()));
    }
  }

  private static String text(GenerationResult result) {
    return ((GenerationResult.Rules) result).text();
  }
}
