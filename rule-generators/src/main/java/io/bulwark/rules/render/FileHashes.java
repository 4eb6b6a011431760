package io.bulwark.rules.render;

import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.List;

/**
 * The terms that file-scanning targets (ClamAV, YARA, Suricata file rules) can match: hashes of
 * every algorithm but SHA-512, which none of them computes.
 */
public final class FileHashes {

  private FileHashes() {}

  /** Whether {@code term} is a hash such a target can match. */
  public static boolean matchable(Term term) {
    return term instanceof HashTerm hash && hash.algorithm() != HashTerm.Algorithm.SHA512;
  }

  /**
   * Returns the matchable hashes of {@code cm} in term order and reports every other term. A file
   * scanner cannot redirect names, so a {@link io.bulwark.rules.spi.Action#SINKHOLE} countermeasure
   * has no hashes here: all its terms are reported (see {@link Countermeasures#notSinkholed}).
   *
   * @param target the target id, named in the reason for the terms of a sinkhole countermeasure
   * @param cm the countermeasure, never null
   * @param reason the start of the reason for a term left out, completed with {@code SHA-512
   *     hashes} or {@code <kind> terms}
   * @param uncovered receives every term that is not {@link #matchable}, in term order
   * @return the hashes, as a new list
   */
  public static List<HashTerm> of(
      String target, CountermeasureTerms cm, String reason, List<Uncovered> uncovered) {
    List<HashTerm> hashes = new ArrayList<>();
    if (Countermeasures.leaveOutSinkhole(target, cm, uncovered)) {
      return hashes;
    }
    for (Term term : cm.terms()) {
      if (matchable(term)) {
        hashes.add((HashTerm) term);
      } else {
        String what = term instanceof HashTerm ? "SHA-512 hashes" : term.kind() + " terms";
        uncovered.add(new Uncovered(cm.countermeasureId(), term, reason + what));
      }
    }
    return hashes;
  }
}
