package io.bulwark.rules.spi;

/**
 * What a {@link DeltaGenerator} keeps of the rule set a device holds, so that the delta to the next
 * generation costs about as much as the change, not as the whole rule set: a million-term set is
 * neither re-normalised nor re-sorted for a thousand changed terms.
 *
 * <p>A state starts from {@link DeltaGenerator#track} and moves one generation with every {@link
 * #apply} that returns rules. It is mutable: calls are serialised (the implementations are
 * synchronized), and the caller keeps one state per device and rule set.
 */
public interface DeltaState {

  /** Returns the generation of the input the state holds. */
  long generation();

  /**
   * Renders the delta from the input held to the input {@code change} makes of it, and holds that
   * input from then on. The delta is the same that {@link DeltaGenerator#delta} renders for the two
   * inputs, except that its uncovered terms are only those among the added terms (the rest were
   * reported with earlier generations).
   *
   * @param change the change, never null
   * @return the delta as rules, or why there is none; then the state is unchanged. A change that
   *     does not fit the input held (see {@link RuleChange#applyTo}) gives {@link
   *     GenerationResult.Invalid}
   */
  GenerationResult apply(RuleChange change);

  /**
   * Returns the input the state holds, rebuilt from what it keeps. It costs as much as the input is
   * large: for checks, not for every delta. Terms may come in another order than they were given.
   */
  RuleInput input();
}
