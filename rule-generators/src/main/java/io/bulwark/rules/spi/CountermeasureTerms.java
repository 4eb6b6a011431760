package io.bulwark.rules.spi;

import io.bulwark.rules.term.Term;
import java.util.List;
import java.util.Objects;

/**
 * One approved countermeasure, reduced to the terms a generator renders.
 *
 * @param countermeasureId the controller's id of the countermeasure; generators name rules after it
 *     and require it to be positive
 * @param action what to do with matching traffic, never null
 * @param terms the terms to enforce, in any order and possibly with duplicates; never null
 * @param sinkhole where the names go: never null for {@link Action#SINKHOLE}, always null for the
 *     other actions
 */
public record CountermeasureTerms(
    long countermeasureId, Action action, List<Term> terms, Sinkhole sinkhole) {

  /**
   * Checks that the sinkhole comes with the sinkhole action, and only with it.
   *
   * @throws IllegalArgumentException when it does not
   */
  public CountermeasureTerms {
    Objects.requireNonNull(action, "action");
    terms = List.copyOf(terms);
    if ((action == Action.SINKHOLE) != (sinkhole != null)) {
      throw new IllegalArgumentException(
          action == Action.SINKHOLE
              ? "sinkhole countermeasure " + countermeasureId + " has no sinkhole"
              : action + " countermeasure " + countermeasureId + " cannot have a sinkhole");
    }
  }

  /** A block or alert countermeasure, which has no sinkhole. */
  public CountermeasureTerms(long countermeasureId, Action action, List<Term> terms) {
    this(countermeasureId, action, terms, null);
  }

  /** Returns the same countermeasure (id, action, sinkhole) with other terms. */
  public CountermeasureTerms withTerms(List<Term> otherTerms) {
    return new CountermeasureTerms(countermeasureId, action, otherTerms, sinkhole);
  }

  /** Returns true when {@code other} has the same action and sinkhole, whatever its terms. */
  public boolean sameDisposition(CountermeasureTerms other) {
    return action == other.action && Objects.equals(sinkhole, other.sinkhole);
  }
}
