package io.bulwark.rules.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.Term;
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
 * the table back: it must be exactly full(N+1).
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
      assertEquals(expected, list.stdout());
    }
  }

  private static String text(GenerationResult result) {
    return ((GenerationResult.Rules) result).text();
  }
}
