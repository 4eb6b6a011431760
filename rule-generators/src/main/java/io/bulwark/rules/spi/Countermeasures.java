package io.bulwark.rules.spi;

import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
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
   * Returns why {@code target}, which cannot redirect names, leaves {@code term} of a {@link
   * Action#SINKHOLE} countermeasure out. Packet filters and file scanners use it for every term of
   * such a countermeasure; DNS targets for its terms that are not domains.
   *
   * @param target the target id, named in the reason
   * @param term the term left out
   */
  public static String notSinkholed(String target, Term term) {
    if (term instanceof DomainTerm) {
      return target + " does not enforce sinkhole: sinkhole is a DNS action, done by a resolver";
    }
    return target
        + " does not enforce sinkhole for "
        + term.kind()
        + " terms: a sinkhole countermeasure enforces domain names only (block them with a block"
        + " countermeasure)";
  }

  /**
   * Reports every term of {@code cm} as left out by {@code target} when it is a {@link
   * Action#SINKHOLE} countermeasure, for targets that cannot redirect names.
   *
   * @return true when {@code cm} is a sinkhole countermeasure (so the caller renders nothing of it)
   */
  public static boolean leaveOutSinkhole(
      String target, CountermeasureTerms cm, List<Uncovered> uncovered) {
    if (cm.action() != Action.SINKHOLE) {
      return false;
    }
    for (Term term : cm.terms()) {
      uncovered.add(new Uncovered(cm.countermeasureId(), term, notSinkholed(target, term)));
    }
    return true;
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
