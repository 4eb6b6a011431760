package io.bulwark.rules.term;

import java.util.List;

/**
 * The terms a pattern yields, and the parts of it that yielded none.
 *
 * @param terms distinct terms in the order the pattern mentions them, never null
 * @param unenforceable distinct reports of parts that could not become terms, never null
 */
public record Extraction(List<Term> terms, List<Unenforceable> unenforceable) {

  public Extraction {
    terms = List.copyOf(terms);
    unenforceable = List.copyOf(unenforceable);
  }

  /** Returns true when every part of the pattern became terms. */
  public boolean isFullyEnforceable() {
    return unenforceable.isEmpty();
  }
}
