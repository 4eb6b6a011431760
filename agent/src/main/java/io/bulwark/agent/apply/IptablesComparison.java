package io.bulwark.agent.apply;

import io.bulwark.agent.apply.IptablesHost.Chains;
import io.bulwark.agent.apply.IptablesHost.SetHeader;
import io.bulwark.agent.apply.IptablesHost.ToolException;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the first difference between an applied iptables rule set and the host, as cheaply as the
 * rule set's size allows; see {@link IptablesApplier#inspect}.
 */
final class IptablesComparison {

  private IptablesComparison() {}

  static Optional<String> firstDifference(IptablesHost host, IptablesRules applied)
      throws IOException, ToolException {
    Map<String, SetHeader> live = host.listSets();
    for (IptablesRules.IpSet set : applied.sets().values()) {
      SetHeader header = live.get(set.name());
      if (header == null) {
        return Optional.of("set " + set.name() + " is missing");
      }
      if (!header.type().equals(set.type())) {
        return Optional.of("set " + set.name() + " is " + header.type() + ", not " + set.type());
      }
      int expected = new HashSet<>(set.elements()).size();
      if (header.entries() != expected) {
        return Optional.of("set " + set.name() + " holds " + header.entries() + " elements, "
            + expected + " were applied");
      }
    }
    for (String name : IptablesApplier.ownSets(live)) {
      if (!applied.sets().containsKey(name)) {
        return Optional.of("set " + name + " is not in the applied rules");
      }
    }
    Optional<String> elements =
        applied.elementCount() <= IptablesApplier.FULL_COMPARE_LIMIT
            ? everyElement(host, applied)
            : sampledElements(host, applied);
    if (elements.isPresent()) {
      return elements;
    }
    for (boolean ipv6 : new boolean[] {false, true}) {
      Optional<String> chains = chains(host.chains(ipv6), applied.rules(ipv6), ipv6 ? "IPv6" : "IPv4");
      if (chains.isPresent()) {
        return chains;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> everyElement(IptablesHost host, IptablesRules applied)
      throws IOException, ToolException {
    Map<String, Set<String>> live = new HashMap<>();
    String saved = host.saveSets(List.copyOf(applied.sets().keySet()));
    for (String line : saved.split("\n")) {
      String[] words = line.split(" ");
      if (words.length >= 3 && words[0].equals("add")) {
        live.computeIfAbsent(words[1], n -> new HashSet<>()).add(normalise(words[2]));
      }
    }
    for (IptablesRules.IpSet set : applied.sets().values()) {
      Set<String> present = live.getOrDefault(set.name(), Set.of());
      for (String element : set.elements()) {
        if (!present.contains(normalise(element))) {
          return Optional.of("set " + set.name() + " lacks " + element);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> sampledElements(IptablesHost host, IptablesRules applied)
      throws IOException {
    int sets = Math.max(1, applied.sets().size());
    int perSet = Math.max(1, IptablesApplier.SAMPLES / sets);
    for (IptablesRules.IpSet set : applied.sets().values()) {
      List<String> elements = set.elements();
      int step = Math.max(1, elements.size() / perSet);
      for (int i = 0; i < elements.size(); i += step) {
        if (!host.contains(set.name(), elements.get(i))) {
          return Optional.of("set " + set.name() + " lacks " + elements.get(i));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> chains(Chains live, List<String> applied, String family) {
    for (String chain : IptablesRules.CHAINS) {
      String builtIn = chain.substring("BULWARK-".length());
      if (!live.chains().contains(chain)) {
        return Optional.of(family + " chain " + chain + " is missing");
      }
      if (!live.jumps().contains(builtIn)) {
        return Optional.of(family + " chain " + builtIn + " no longer jumps to " + chain);
      }
    }
    Map<String, List<String>> expectedByChain = byChain(applied);
    Map<String, List<String>> foundByChain = byChain(live.rules());
    for (String chain : IptablesRules.CHAINS) {
      List<String> expected = expectedByChain.getOrDefault(chain, List.of());
      List<String> found = foundByChain.getOrDefault(chain, List.of());
      for (int i = 0; i < Math.max(expected.size(), found.size()); i++) {
        String want = i < expected.size() ? expected.get(i) : null;
        String have = i < found.size() ? found.get(i) : null;
        if (want == null) {
          return Optional.of(family + " " + chain + " rule " + (i + 1) + " is not in the applied rules: '"
              + have + "'");
        }
        if (!want.equals(have)) {
          return Optional.of(family + " " + chain + " rule " + (i + 1) + ": expected '" + want
              + "', found " + (have == null ? "nothing" : "'" + have + "'"));
        }
      }
    }
    return Optional.empty();
  }

  private static Map<String, List<String>> byChain(List<String> rules) {
    Map<String, List<String>> chains = new HashMap<>();
    for (String rule : rules) {
      String line = rule.strip().replaceAll(" +", " ");
      String chain = line.split(" ", 3)[1];
      chains.computeIfAbsent(chain, c -> new java.util.ArrayList<>()).add(line);
    }
    return chains;
  }

  /** ipset prints a host address without its full-length prefix. */
  private static String normalise(String element) {
    if (element.endsWith("/32") && element.indexOf(':') < 0) {
      return element.substring(0, element.length() - 3);
    }
    if (element.endsWith("/128")) {
      return element.substring(0, element.length() - 4);
    }
    return element.toLowerCase(java.util.Locale.ROOT);
  }
}
