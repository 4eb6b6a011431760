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

  /**
   * Renders the full rule set of {@code input}, as {@link #generate} does, and returns it with a
   * {@link DeltaState} holding {@code input}, from which later deltas follow by {@link
   * DeltaState#apply}.
   *
   * <p>The default state keeps the input and renders every delta with {@link #delta}, so a delta
   * costs as much as the rule set is large; targets that keep their normalised sets override it.
   *
   * @param input the input the device will hold, never null
   * @return the full rule set and, when it is {@link GenerationResult.Rules}, the state
   */
  default Tracked track(RuleInput input) {
    GenerationResult full = generate(input);
    return new Tracked(
        full, full instanceof GenerationResult.Rules ? new InputState(this, input) : null);
  }

  /**
   * A full rule set and the state for deltas from it.
   *
   * @param full the rule set, as {@link #generate} returns it; never null
   * @param state the state holding the input, or null when {@code full} is not rules
   */
  record Tracked(GenerationResult full, DeltaState state) {
    public Tracked {
      java.util.Objects.requireNonNull(full, "full");
      if ((state != null) != (full instanceof GenerationResult.Rules)) {
        throw new IllegalArgumentException("a state comes with rules, and only with rules");
      }
    }
  }
}
