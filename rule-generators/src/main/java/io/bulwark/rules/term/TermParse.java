package io.bulwark.rules.term;

import java.util.Objects;

/**
 * The outcome of turning untrusted text into a term: the term, or why the text is not one.
 *
 * @param <T> the kind of term
 */
public sealed interface TermParse<T extends Term> {

  /**
   * The text denotes a valid term.
   *
   * @param term the normalised term, never null
   * @param <T> the kind of term
   */
  record Valid<T extends Term>(T term) implements TermParse<T> {
    public Valid {
      Objects.requireNonNull(term, "term");
    }
  }

  /**
   * The text is not a valid term.
   *
   * @param reason what is wrong, for an analyst; it never repeats the whole offending text (at most
   *     a short fragment already checked to be harmless), so callers decide how to quote it
   * @param <T> the kind of term
   */
  record Invalid<T extends Term>(String reason) implements TermParse<T> {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
