package io.bulwark.rules.junos;

import static io.bulwark.rules.render.ListDifference.minus;

import io.bulwark.rules.render.PlanOutcome;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Junos commands that take a device holding the {@link JunosGenerator} configuration of one
 * input to that of another, for {@code load set} followed by one commit.
 *
 * <p>Junos applies a commit atomically, but the commands still run in a safe order, so that a
 * candidate configuration never refers to a list it lacks: new prefixes are set first; then per
 * filter, terms that went (or whose countermeasure changed its action, and so its place) are
 * deleted, changed terms get their removed statements deleted and new ones set, and new terms are
 * set and moved to their place with {@code insert ... before term}, because {@code set} appends a
 * new term after {@code accept-all}; last, prefixes that went are deleted, and whole prefix lists
 * no term uses any more. Equal inputs give an empty text. Pure and thread-safe.
 */
public final class JunosDelta {

  private JunosDelta() {}

  /** Same as {@link #between(RuleInput, RuleInput, JunosLimits)} with default limits. */
  public static GenerationResult between(RuleInput from, RuleInput to) {
    return between(from, to, JunosLimits.DEFAULTS);
  }

  /**
   * Computes the commands from the configuration of {@code from} to that of {@code to}.
   *
   * @param from the input the device's configuration was rendered from, never null
   * @param to the input to render now, never null
   * @param limits the limits both inputs must respect, never null
   * @return {@link GenerationResult.Rules} with the commands as text and the uncovered terms of
   *     {@code to}, or {@link GenerationResult.Invalid} naming the input that breaks the contract
   */
  public static GenerationResult between(RuleInput from, RuleInput to, JunosLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return PlanOutcome.delta(
        JunosGenerator.ID, from, to, in -> JunosPlan.of(in, limits), JunosDelta::commands);
  }

  private static GenerationResult commands(JunosPlan old, JunosPlan next) {
    Map<String, List<String>> oldLists = lists(old);
    Map<String, List<String>> nextLists = lists(next);
    StringBuilder out = new StringBuilder(256);
    nextLists.forEach(
        (name, prefixes) -> {
          for (String prefix : minus(prefixes, oldLists.get(name))) {
            out.append("set ")
                .append(JunosGenerator.prefixList(name))
                .append(' ')
                .append(prefix)
                .append('\n');
          }
        });
    for (JunosFamily family : JunosFamily.values()) {
      filterChange(out, family, old.terms(family), next.terms(family));
    }
    nextLists.forEach(
        (name, prefixes) -> {
          for (String prefix : minus(oldLists.get(name), prefixes)) {
            out.append("delete ")
                .append(JunosGenerator.prefixList(name))
                .append(' ')
                .append(prefix)
                .append('\n');
          }
        });
    for (String name : oldLists.keySet()) {
      if (!nextLists.containsKey(name)) {
        out.append("delete ").append(JunosGenerator.prefixList(name)).append('\n');
      }
    }
    return new GenerationResult.Rules(out.toString(), next.uncovered());
  }

  private static void filterChange(
      StringBuilder out,
      JunosFamily family,
      List<JunosPlan.FilterTerm> old,
      List<JunosPlan.FilterTerm> next) {
    String path = family.termPath();
    Map<String, JunosPlan.FilterTerm> oldByName = new LinkedHashMap<>();
    old.forEach(term -> oldByName.put(term.name(), term));
    Set<String> kept = new HashSet<>();
    for (JunosPlan.FilterTerm term : next) {
      JunosPlan.FilterTerm previous = oldByName.get(term.name());
      if (previous != null && previous.action() == term.action()) {
        kept.add(term.name());
      }
    }
    for (JunosPlan.FilterTerm term : old) {
      if (!kept.contains(term.name())) {
        out.append("delete ").append(path).append(term.name()).append('\n');
      }
    }
    for (int i = 0; i < next.size(); i++) {
      JunosPlan.FilterTerm term = next.get(i);
      if (kept.contains(term.name())) {
        List<String> statements = oldByName.get(term.name()).statements();
        for (String statement : minus(statements, term.statements())) {
          out.append("delete ")
              .append(path)
              .append(term.name())
              .append(' ')
              .append(statement)
              .append('\n');
        }
        for (String statement : minus(term.statements(), statements)) {
          out.append("set ")
              .append(path)
              .append(term.name())
              .append(' ')
              .append(statement)
              .append('\n');
        }
        continue;
      }
      for (String statement : term.statements()) {
        out.append("set ")
            .append(path)
            .append(term.name())
            .append(' ')
            .append(statement)
            .append('\n');
      }
      // accept-all is always kept and last, so a kept successor exists.
      String successor = null;
      for (int j = i + 1; successor == null; j++) {
        if (kept.contains(next.get(j).name())) {
          successor = next.get(j).name();
        }
      }
      out.append("insert ")
          .append(path)
          .append(term.name())
          .append(" before term ")
          .append(successor)
          .append('\n');
    }
  }

  private static Map<String, List<String>> lists(JunosPlan plan) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    plan.prefixLists().forEach(list -> map.put(list.name(), list.prefixes()));
    return map;
  }
}
