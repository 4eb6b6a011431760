package io.bulwark.rules.iptables;

import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.render.NetworkTerms;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** The sets of one countermeasure: prefixes per family and ports per protocol, normalised. */
record IpsetContents(
    CountermeasureTerms countermeasure,
    List<IpPrefix> v4,
    List<IpPrefix> v6,
    Map<Protocol, SortedSet<Integer>> ports) {

  /** Sorts the terms of {@code cm}; kinds ipset cannot hold go to {@code uncovered}. */
  static IpsetContents of(CountermeasureTerms cm, List<Uncovered> uncovered) {
    NetworkTerms terms =
        NetworkTerms.of(
            "iptables",
            cm,
            EnumSet.allOf(Protocol.class),
            term -> "iptables has no rule for " + term.kind() + " terms",
            uncovered);
    return new IpsetContents(
        cm,
        splitDefault(IpPrefixes.normalise(terms.prefixes(IpPrefix.Family.V4))),
        splitDefault(IpPrefixes.normalise(terms.prefixes(IpPrefix.Family.V6))),
        terms.ports());
  }

  /**
   * Replaces a /0 by its two halves: {@code hash:net} cannot store a zero-length prefix, and the
   * two halves cover the same addresses.
   */
  static List<IpPrefix> splitDefault(List<IpPrefix> prefixes) {
    if (prefixes.isEmpty() || prefixes.get(0).length() != 0) {
      return prefixes;
    }
    IpPrefix.Family family = prefixes.get(0).family();
    String low = family == IpPrefix.Family.V4 ? "0.0.0.0/1" : "::/1";
    String high = family == IpPrefix.Family.V4 ? "128.0.0.0/1" : "8000::/1";
    return List.of(parse(low), parse(high));
  }

  private static IpPrefix parse(String text) {
    return ((io.bulwark.rules.term.TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }

  /** Returns the set name stem, {@code bw-cmN}; with the longest suffix it stays under 32. */
  String stem() {
    return stem(countermeasure.countermeasureId());
  }

  /** Returns the set name stem of countermeasure {@code id}. */
  static String stem(long id) {
    return "bw-cm" + id;
  }

  /** Copies the normalised sets out of a tally, for rendering a whole rule set from it. */
  static IpsetContents of(NetworkTally.Countermeasure cm) {
    Map<Protocol, SortedSet<Integer>> ports = new java.util.EnumMap<>(Protocol.class);
    for (Protocol protocol : Protocol.values()) {
      if (!cm.ports(protocol).isEmpty()) {
        ports.put(protocol, new TreeSet<>(cm.ports(protocol)));
      }
    }
    // The chains read only the id and the action of the countermeasure, not its terms.
    return new IpsetContents(
        new CountermeasureTerms(cm.id(), cm.action(), List.of(), cm.sinkhole()),
        splitDefault(cm.prefixes(IpPrefix.Family.V4).normalised()),
        splitDefault(cm.prefixes(IpPrefix.Family.V6).normalised()),
        ports);
  }

  List<Integer> ports(Protocol protocol) {
    return new ArrayList<>(ports.getOrDefault(protocol, new TreeSet<>()));
  }
}
