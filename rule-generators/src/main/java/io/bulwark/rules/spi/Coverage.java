package io.bulwark.rules.spi;

import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.Unenforceable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How far one target enforces one indicator: fully, in part, or not at all. Computed from what the
 * extractor could not turn into terms ({@link Unenforceable}) and what the target left out ({@link
 * Uncovered}), so nothing is dropped without showing up here.
 */
public sealed interface Coverage {

  /** Every part of the indicator is enforced by the target. */
  record Enforced() implements Coverage {}

  /**
   * Some terms are enforced and some are not.
   *
   * @param reason what is not enforced and why, never null
   */
  record Partial(String reason) implements Coverage {
    public Partial {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Nothing of the indicator is enforced.
   *
   * @param reason why, never null
   */
  record Unsupported(String reason) implements Coverage {
    public Unsupported {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Returns a short label for tables: {@code enforced}, {@code partial} or {@code unsupported}. */
  default String label() {
    if (this instanceof Enforced) {
      return "enforced";
    }
    return this instanceof Partial ? "partial" : "unsupported";
  }

  /**
   * Combines an indicator's extraction with what a target left out of it.
   *
   * @param extraction the indicator's terms and unenforceable parts, never null
   * @param uncovered what the target left out of the countermeasure built from the indicator; terms
   *     not in the extraction are ignored. A term enforced {@link Uncovered#inPart in part} makes
   *     the coverage partial but does not count as left out
   * @return the coverage, never null
   */
  static Coverage of(Extraction extraction, List<Uncovered> uncovered) {
    List<String> reasons = new ArrayList<>();
    extraction.unenforceable().forEach(u -> reasons.add(u.reason()));
    Set<Term> terms = new HashSet<>(extraction.terms());
    Set<Term> left = new HashSet<>();
    Set<Term> named = new HashSet<>();
    for (Uncovered u : uncovered) {
      if (!terms.contains(u.term())) {
        continue;
      }
      if (!u.inPart()) {
        left.add(u.term());
      }
      if (named.add(u.term())) {
        reasons.add(u.term() + ": " + u.reason());
      }
    }
    if (terms.isEmpty() || left.size() == terms.size()) {
      return new Unsupported(reasons.isEmpty() ? "nothing to enforce" : String.join("; ", reasons));
    }
    return reasons.isEmpty() ? new Enforced() : new Partial(String.join("; ", reasons));
  }

  /**
   * Asks {@code generator} how it would enforce one indicator as a countermeasure with {@code
   * action}.
   *
   * @param generator the target, never null
   * @param extraction the indicator's extraction, never null
   * @param action the action of the would-be countermeasure, never null; not {@link
   *     Action#SINKHOLE}, which needs a destination (use the overload with a sinkhole)
   * @return the coverage; a target that refuses the input altogether gives {@link Unsupported}
   */
  static Coverage assess(RuleGenerator generator, Extraction extraction, Action action) {
    return assess(generator, extraction, action, null);
  }

  /**
   * As {@link #assess(RuleGenerator, Extraction, Action)}, for any action.
   *
   * @param sinkhole the destination of a {@link Action#SINKHOLE} countermeasure, else null
   * @throws IllegalArgumentException when the sinkhole does not match the action (see {@link
   *     CountermeasureTerms})
   */
  static Coverage assess(
      RuleGenerator generator, Extraction extraction, Action action, Sinkhole sinkhole) {
    RuleInput input =
        new RuleInput(
            1, List.of(new CountermeasureTerms(1, action, extraction.terms(), sinkhole)));
    GenerationResult result = generator.generate(input);
    if (result instanceof GenerationResult.Rules rules) {
      return of(extraction, rules.uncovered());
    }
    String reason =
        result instanceof GenerationResult.Unsupported u
            ? u.reason()
            : ((GenerationResult.Invalid) result).reason();
    return new Unsupported(reason);
  }
}
