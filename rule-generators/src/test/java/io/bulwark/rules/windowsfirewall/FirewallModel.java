package io.bulwark.rules.windowsfirewall;

import java.util.Map;
import java.util.TreeMap;

/**
 * A model of a Windows firewall's rules: name to group and settings. Running a checked script does
 * what its cmdlets do: remove the group's rules not wanted, then per rule {@code Set} when the name
 * exists (keeping its group) and {@code New} in group {@code Bulwark} when not.
 */
final class FirewallModel {

  private record Entry(String group, String settings) {}

  private final Map<String, Entry> rules = new TreeMap<>();

  /** Adds a rule someone else made, which a script must leave alone. */
  FirewallModel foreign(String name, String settings) {
    rules.put(name, new Entry("Other", settings));
    return this;
  }

  /** Runs {@code script}. */
  FirewallModel run(PowerShellGrammar.Script script) {
    rules
        .entrySet()
        .removeIf(
            e -> e.getValue().group().equals("Bulwark") && !script.wanted().contains(e.getKey()));
    for (PowerShellGrammar.Rule rule : script.rules()) {
      Entry existing = rules.get(rule.name());
      String group = existing == null ? "Bulwark" : existing.group();
      rules.put(rule.name(), new Entry(group, rule.settings()));
    }
    return this;
  }

  /** Returns the rules as comparable text. */
  String state() {
    return rules.toString();
  }
}
