package io.bulwark.rules.spi;

import io.bulwark.rules.term.Term;
import java.util.Objects;

/**
 * A term of a countermeasure that a target cannot express as the countermeasure asks, so the device
 * will not enforce it, or will enforce it only in part.
 *
 * @param countermeasureId the countermeasure the term belongs to
 * @param term the term left out, never null
 * @param reason why the target cannot express it, or what it does instead; never null
 * @param inPart true when the target still does part of the job (it detects the term but does not
 *     redirect it, say) and {@code reason} says what is missing; {@link Coverage} counts such a term
 *     as partial, not as left out
 */
public record Uncovered(long countermeasureId, Term term, String reason, boolean inPart) {

  public Uncovered {
    Objects.requireNonNull(term, "term");
    Objects.requireNonNull(reason, "reason");
  }

  /** A term the target leaves out altogether. */
  public Uncovered(long countermeasureId, Term term, String reason) {
    this(countermeasureId, term, reason, false);
  }

  /** A term the target enforces in part; {@code reason} says what it does not do. */
  public static Uncovered inPart(long countermeasureId, Term term, String reason) {
    return new Uncovered(countermeasureId, term, reason, true);
  }
}
