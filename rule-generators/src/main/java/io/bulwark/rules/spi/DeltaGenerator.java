package io.bulwark.rules.spi;

/**
 * A {@link RuleGenerator} that can also render the change from one generation's rule set to the
 * next in the target's own terms (nft {@code add element}/{@code delete element}, ...), so a large
 * rule set need not be reloaded for a small change.
 *
 * <p>The same contract as {@link RuleGenerator#generate} applies: pure, thread-safe, never throws
 * for input it cannot express. Applying the delta to a device that holds exactly {@code
 * generate(from)} must leave it holding exactly {@code generate(to)}.
 */
public interface DeltaGenerator extends RuleGenerator {

  /**
   * Renders the change from {@code from} to {@code to}.
   *
   * @param from the input of the rule set the device holds, never null
   * @param to the input of the rule set it should hold, never null
   * @return the delta as rules (its uncovered terms are those of {@code to}), or why there is none
   */
  GenerationResult delta(RuleInput from, RuleInput to);
}
