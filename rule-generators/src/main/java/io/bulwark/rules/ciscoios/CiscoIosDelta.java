package io.bulwark.rules.ciscoios;

import static io.bulwark.rules.render.ListDifference.minus;

import io.bulwark.rules.render.PlanOutcome;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The IOS commands that take a device holding the {@link CiscoIosGenerator} configuration of one
 * input to that of another, without a moment in which an access list refers to a missing group.
 *
 * <p>The commands run in three phases:
 *
 * <ol>
 *   <li>new object groups are created and new entries added to existing ones, so every group the
 *       next access lists use exists and is never empty;
 *   <li>each access list whose entries changed is renumbered with {@code resequence} to steps wide
 *       enough for the new entries, entries that went are removed by {@code no}, new ones are
 *       inserted at their place by number, and the list is renumbered to 10, 20, ... as the full
 *       configuration numbers it (see {@link IosAclDelta}). The final {@code permit} is never
 *       touched, so the device never falls back to the implicit deny;
 *   <li>entries that went are removed from surviving groups (which by then hold their new entries,
 *       so none becomes empty) and groups no access list uses any more are deleted.
 * </ol>
 *
 * <p>Remarks are assumed not to take sequence numbers (as in IOS and IOS XE named lists). Equal
 * inputs give an empty text. Pure and thread-safe.
 */
public final class CiscoIosDelta {

  private CiscoIosDelta() {}

  /** Same as {@link #between(RuleInput, RuleInput, CiscoIosLimits)} with default limits. */
  public static GenerationResult between(RuleInput from, RuleInput to) {
    return between(from, to, CiscoIosLimits.DEFAULTS);
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
  public static GenerationResult between(RuleInput from, RuleInput to, CiscoIosLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return PlanOutcome.delta(
        CiscoIosGenerator.ID, from, to, in -> IosPlan.of(in, limits), CiscoIosDelta::commands);
  }

  private static GenerationResult commands(IosPlan old, IosPlan next) {
    StringBuilder out = new StringBuilder(256);
    Map<String, List<String>> oldGroups = byName(old.groups());
    Map<String, List<String>> nextGroups = byName(next.groups());
    nextGroups.forEach(
        (name, entries) -> groupChange(out, name, minus(entries, oldGroups.get(name)), ""));
    for (IosAcl acl : IosAcl.values()) {
      IosAclDelta.append(out, acl, old.blocks(acl), next.blocks(acl));
    }
    nextGroups.forEach(
        (name, entries) -> groupChange(out, name, minus(oldGroups.get(name), entries), "no "));
    for (String name : oldGroups.keySet()) {
      if (!nextGroups.containsKey(name)) {
        out.append("no object-group network ").append(name).append('\n');
      }
    }
    return new GenerationResult.Rules(out.toString(), next.uncovered());
  }

  private static void groupChange(StringBuilder out, String name, List<String> entries, String no) {
    if (entries.isEmpty()) {
      return;
    }
    out.append("object-group network ").append(name).append('\n');
    for (String entry : entries) {
      out.append(' ').append(no).append(entry).append('\n');
    }
    out.append("exit\n");
  }

  private static Map<String, List<String>> byName(List<IosPlan.Group> groups) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    groups.forEach(group -> map.put(group.name(), group.entries()));
    return map;
  }
}
