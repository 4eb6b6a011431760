package io.bulwark.rules.spi;

import io.bulwark.rules.term.Term;
import java.util.Objects;

/**
 * A term of a countermeasure that a target cannot express, so the device will not enforce it.
 *
 * @param countermeasureId the countermeasure the term belongs to
 * @param term the term left out, never null
 * @param reason why the target cannot express it, never null
 */
public record Uncovered(long countermeasureId, Term term, String reason) {

  public Uncovered {
    Objects.requireNonNull(term, "term");
    Objects.requireNonNull(reason, "reason");
  }
}
