package io.bulwark.rules.render;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The outcome of planning the device state of one input (for targets that render both a full
 * configuration and deltas from one plan type {@code P}): the plan, or why the input breaks the
 * contract or a limit. The static methods turn a rejection into the {@link
 * GenerationResult.Invalid} that names the target, so every such target words it the same way.
 *
 * @param <P> the plan type
 */
public sealed interface PlanOutcome<P> {

  /** The input becomes {@code plan}. */
  record Planned<P>(P plan) implements PlanOutcome<P> {}

  /** The input breaks the contract or a limit; {@code reason} says how. */
  record Rejected<P>(String reason) implements PlanOutcome<P> {}

  /**
   * Plans {@code input} and renders the plan.
   *
   * @return what {@code render} returns, or {@code Invalid("<target>: <reason>")}
   */
  static <P> GenerationResult full(
      String target,
      RuleInput input,
      Function<RuleInput, PlanOutcome<P>> planner,
      Function<P, GenerationResult> render) {
    PlanOutcome<P> outcome = planner.apply(input);
    if (outcome instanceof Rejected<P> rejected) {
      return new GenerationResult.Invalid(target + ": " + rejected.reason());
    }
    return render.apply(((Planned<P>) outcome).plan());
  }

  /**
   * Plans both inputs and renders the change between the plans.
   *
   * @return what {@code render} returns, or {@code Invalid("<target>: generation <n>: <reason>")}
   *     for the first of {@code from} and {@code to} that is rejected
   */
  static <P> GenerationResult delta(
      String target,
      RuleInput from,
      RuleInput to,
      Function<RuleInput, PlanOutcome<P>> planner,
      BiFunction<P, P, GenerationResult> render) {
    PlanOutcome<P> before = planner.apply(from);
    PlanOutcome<P> after = planner.apply(to);
    if (before instanceof Rejected<P> rejected) {
      return invalid(target, from, rejected);
    }
    if (after instanceof Rejected<P> rejected) {
      return invalid(target, to, rejected);
    }
    return render.apply(((Planned<P>) before).plan(), ((Planned<P>) after).plan());
  }

  private static GenerationResult invalid(String target, RuleInput input, Rejected<?> rejected) {
    return new GenerationResult.Invalid(
        target + ": generation " + input.generation() + ": " + rejected.reason());
  }
}
