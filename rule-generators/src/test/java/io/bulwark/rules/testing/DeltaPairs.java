package io.bulwark.rules.testing;

import io.bulwark.rules.spi.RuleInput;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The pairs of inputs a delta test walks: every ordered pair of a target's golden cases (equal
 * ones included), and a run of random generations, each paired with the one before it.
 */
public final class DeltaPairs {

  private DeltaPairs() {}

  /** Hands every ordered pair of the golden cases of {@code target} to {@code check}. */
  public static void everyGoldenPair(String target, BiConsumer<RuleInput, RuleInput> check) {
    List<GoldenCase> cases = GoldenCase.all(target).toList();
    for (GoldenCase from : cases) {
      for (GoldenCase to : cases) {
        check.accept(from.input(), to.input());
      }
    }
  }

  /**
   * Hands generations 1 and 2, 2 and 3, ... 398 and 399 of {@link RandomRuleInputs} seeded with
   * {@code seed} to {@code check}.
   */
  public static void randomGenerations(long seed, BiConsumer<RuleInput, RuleInput> check) {
    RandomRuleInputs inputs = new RandomRuleInputs(seed);
    RuleInput previous = inputs.next(1);
    for (int generation = 2; generation < 400; generation++) {
      RuleInput next = inputs.next(generation);
      check.accept(previous, next);
      previous = next;
    }
  }
}
