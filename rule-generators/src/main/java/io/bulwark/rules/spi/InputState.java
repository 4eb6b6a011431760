package io.bulwark.rules.spi;

import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default {@link DeltaState}: it keeps the input and renders each delta from the two whole
 * inputs with {@link DeltaGenerator#delta}.
 */
final class InputState implements DeltaState {

  private final DeltaGenerator generator;
  private RuleInput input;

  InputState(DeltaGenerator generator, RuleInput input) {
    this.generator = generator;
    this.input = input;
  }

  @Override
  public synchronized long generation() {
    return input.generation();
  }

  @Override
  public synchronized GenerationResult apply(RuleChange change) {
    RuleInput next;
    try {
      next = change.applyTo(input);
    } catch (RuleChange.InvalidChangeException e) {
      return new GenerationResult.Invalid(e.getMessage());
    }
    GenerationResult delta = generator.delta(input, next);
    if (delta instanceof GenerationResult.Rules rules) {
      input = next;
      return new GenerationResult.Rules(rules.text(), addedOnly(rules, change), rules.files());
    }
    return delta;
  }

  @Override
  public synchronized RuleInput input() {
    return input;
  }

  /** Keeps the uncovered terms that the change adds, as the contract of the state says. */
  private static List<Uncovered> addedOnly(GenerationResult.Rules rules, RuleChange change) {
    Map<Long, Set<Term>> added = new HashMap<>();
    for (CountermeasureTerms cm : change.added()) {
      added.put(cm.countermeasureId(), new HashSet<>(cm.terms()));
    }
    List<Uncovered> kept = new ArrayList<>();
    for (Uncovered uncovered : rules.uncovered()) {
      Set<Term> terms = added.get(uncovered.countermeasureId());
      if (terms != null && terms.contains(uncovered.term())) {
        kept.add(uncovered);
      }
    }
    return kept;
  }
}
