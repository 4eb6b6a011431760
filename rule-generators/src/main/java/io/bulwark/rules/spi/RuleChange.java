package io.bulwark.rules.spi;

import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The change from one generation's {@link RuleInput} to the next, in terms of what changed only, so
 * that a {@link DeltaState} can render a delta without looking at the terms that stayed.
 *
 * <p>Terms form a multiset per countermeasure, as in {@link CountermeasureTerms}: a term listed
 * twice is held twice, and removing one occurrence leaves the other in force. The change applies in
 * three steps: first the {@code withdrawn} countermeasures go with all their terms, then the {@code
 * removed} terms go from the countermeasures that hold them, then the {@code added} terms join
 * their countermeasures, creating those that do not exist (with the action and sinkhole given). An
 * action or sinkhole changes by withdrawing the countermeasure and adding it again with all its
 * terms.
 *
 * @param generation the generation the change leads to, as in {@link RuleInput#generation()}
 * @param withdrawn ids of countermeasures that end, never null
 * @param removed per countermeasure (with its current action) the term occurrences that go; never
 *     null, at most one entry per id
 * @param added per countermeasure (with its action) the term occurrences that come; never null, at
 *     most one entry per id
 */
public record RuleChange(
    long generation,
    List<Long> withdrawn,
    List<CountermeasureTerms> removed,
    List<CountermeasureTerms> added) {

  public RuleChange {
    withdrawn = List.copyOf(withdrawn);
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }

  /**
   * Returns the change that turns {@code from} into {@code to}. It looks at every term of both, so
   * it costs as much as the inputs are large: for callers that only have whole inputs, and tests.
   *
   * @param from a valid input (see {@link Countermeasures#problem}), never null
   * @param to a valid input, never null
   */
  public static RuleChange between(RuleInput from, RuleInput to) {
    Map<Long, CountermeasureTerms> before = byId(from);
    List<Long> withdrawn = new ArrayList<>();
    List<CountermeasureTerms> removed = new ArrayList<>();
    List<CountermeasureTerms> added = new ArrayList<>();
    for (CountermeasureTerms cm : to.countermeasures()) {
      CountermeasureTerms old = before.get(cm.countermeasureId());
      if (old == null) {
        added.add(cm);
      } else if (!old.sameDisposition(cm)) {
        withdrawn.add(cm.countermeasureId());
        added.add(cm);
      } else {
        List<Term> gone = minus(old.terms(), cm.terms());
        List<Term> came = minus(cm.terms(), old.terms());
        if (!gone.isEmpty()) {
          removed.add(cm.withTerms(gone));
        }
        if (!came.isEmpty()) {
          added.add(cm.withTerms(came));
        }
      }
    }
    Map<Long, CountermeasureTerms> after = byId(to);
    for (CountermeasureTerms cm : from.countermeasures()) {
      if (!after.containsKey(cm.countermeasureId())) {
        withdrawn.add(cm.countermeasureId());
      }
    }
    return new RuleChange(to.generation(), withdrawn, removed, added);
  }

  /**
   * Returns the input that this change makes of {@code current}.
   *
   * @param current the input the change starts from, never null
   * @throws InvalidChangeException when the change does not fit {@code current}: a withdrawn or
   *     changed countermeasure that is not there, an action that differs, a term removed more often
   *     than it is held, an id listed twice or not positive
   */
  public RuleInput applyTo(RuleInput current) {
    Map<Long, CountermeasureTerms> cms = byId(current);
    for (long id : withdrawn) {
      if (cms.remove(id) == null) {
        throw new InvalidChangeException("countermeasure " + id + " is withdrawn but not held");
      }
    }
    for (CountermeasureTerms cm : distinct(removed, "removed")) {
      CountermeasureTerms held = heldWithAction(cms, cm, "has terms removed");
      List<Term> left = minus(held.terms(), cm.terms());
      if (left.size() != held.terms().size() - cm.terms().size()) {
        throw new InvalidChangeException(
            "countermeasure " + cm.countermeasureId() + " loses terms it does not hold");
      }
      cms.put(cm.countermeasureId(), held.withTerms(left));
    }
    for (CountermeasureTerms cm : distinct(added, "added")) {
      CountermeasureTerms held = cms.get(cm.countermeasureId());
      if (held == null) {
        cms.put(cm.countermeasureId(), cm);
      } else {
        heldWithAction(cms, cm, "gains terms");
        List<Term> terms = new ArrayList<>(held.terms());
        terms.addAll(cm.terms());
        cms.put(cm.countermeasureId(), held.withTerms(terms));
      }
    }
    return new RuleInput(generation, new ArrayList<>(cms.values()));
  }

  /** Checks the ids of {@code lists}: positive and each at most once. */
  static List<CountermeasureTerms> distinct(List<CountermeasureTerms> list, String what) {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (CountermeasureTerms cm : list) {
      if (cm.countermeasureId() < 1) {
        throw new InvalidChangeException(
            "countermeasure id " + cm.countermeasureId() + " is not positive");
      }
      if (!seen.add(cm.countermeasureId())) {
        throw new InvalidChangeException(
            "countermeasure " + cm.countermeasureId() + " is listed twice as " + what);
      }
    }
    return list;
  }

  private static CountermeasureTerms heldWithAction(
      Map<Long, CountermeasureTerms> cms, CountermeasureTerms cm, String what) {
    CountermeasureTerms held = cms.get(cm.countermeasureId());
    if (held == null) {
      throw new InvalidChangeException(
          "countermeasure " + cm.countermeasureId() + " " + what + " but is not held");
    }
    if (!held.sameDisposition(cm)) {
      throw new InvalidChangeException(
          "countermeasure "
              + cm.countermeasureId()
              + " "
              + what
              + " as "
              + disposition(cm)
              + " but is held as "
              + disposition(held));
    }
    return held;
  }

  private static String disposition(CountermeasureTerms cm) {
    return cm.sinkhole() == null ? cm.action().toString() : cm.action() + " to " + cm.sinkhole().text();
  }

  private static Map<Long, CountermeasureTerms> byId(RuleInput input) {
    Map<Long, CountermeasureTerms> cms = new LinkedHashMap<>();
    for (CountermeasureTerms cm : input.countermeasures()) {
      cms.put(cm.countermeasureId(), cm);
    }
    return cms;
  }

  /** Returns {@code terms} without one occurrence of each of {@code without}, in order. */
  private static List<Term> minus(List<Term> terms, List<Term> without) {
    Map<Term, Integer> take = new HashMap<>();
    for (Term term : without) {
      take.merge(term, 1, Integer::sum);
    }
    List<Term> left = new ArrayList<>(terms.size());
    for (Term term : terms) {
      Integer count = take.get(term);
      if (count == null) {
        left.add(term);
      } else if (count == 1) {
        take.remove(term);
      } else {
        take.put(term, count - 1);
      }
    }
    return left;
  }

  /** A change that does not fit the input it is applied to: a bug in the caller. */
  public static final class InvalidChangeException extends io.bulwark.rules.RulesException {

    /**
     * Creates the exception.
     *
     * @param message what does not fit, never null
     */
    public InvalidChangeException(String message) {
      super(Objects.requireNonNull(message, "message"));
    }
  }
}
