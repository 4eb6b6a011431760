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
 */
public record CountermeasureTerms(long countermeasureId, Action action, List<Term> terms) {

  public CountermeasureTerms {
    Objects.requireNonNull(action, "action");
    terms = List.copyOf(terms);
  }
}
