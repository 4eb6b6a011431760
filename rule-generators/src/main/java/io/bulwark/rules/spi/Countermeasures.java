package io.bulwark.rules.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks and ordering that every generator applies to a {@link RuleInput} in the same way. */
public final class Countermeasures {

  /** ALERT countermeasures first, so traffic that is also blocked is logged; then by id. */
  public static final Comparator<CountermeasureTerms> RULE_ORDER =
      Comparator.comparing((CountermeasureTerms cm) -> cm.action() != Action.ALERT)
          .thenComparingLong(CountermeasureTerms::countermeasureId);

  private Countermeasures() {}

  /**
   * Returns why {@code input} breaks the contract (an id below 1, an id used twice), or empty.
   *
   * @param input the input, never null
   */
  public static Optional<GenerationResult.Invalid> problem(RuleInput input) {
    Set<Long> seen = new HashSet<>();
    for (CountermeasureTerms cm : input.countermeasures()) {
      if (cm.countermeasureId() < 1) {
        return Optional.of(
            new GenerationResult.Invalid(
                "countermeasure id " + cm.countermeasureId() + " is not positive"));
      }
      if (!seen.add(cm.countermeasureId())) {
        return Optional.of(
            new GenerationResult.Invalid(
                "countermeasure " + cm.countermeasureId() + " appears more than once"));
      }
    }
    return Optional.empty();
  }

  /** Returns the countermeasures of {@code input} in {@link #RULE_ORDER}, as a new list. */
  public static List<CountermeasureTerms> inRuleOrder(RuleInput input) {
    List<CountermeasureTerms> ordered = new ArrayList<>(input.countermeasures());
    ordered.sort(RULE_ORDER);
    return ordered;
  }

  /**
   * Returns the error for a list that would exceed a configured limit; it names the target, the
   * list and both counts, so an operator can raise the limit or split the scope.
   */
  public static GenerationResult.Invalid tooMany(String target, String list, int count, int limit) {
    return new GenerationResult.Invalid(
        target
            + ": "
            + list
            + " would hold "
            + count
            + " elements, more than the limit of "
            + limit);
  }
}
