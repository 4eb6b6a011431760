package io.bulwark.rules.nftables;

import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.render.NetworkTerms;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.Protocol;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The normalised contents of one countermeasure's sets: prefixes per family and ports per protocol,
 * each sorted the way {@code nft} lists them.
 */
final class CountermeasureSets {

  private final long id;
  private final Action action;
  private final List<IpPrefix> v4;
  private final List<IpPrefix> v6;
  private final Map<Protocol, SortedSet<Integer>> ports;

  private CountermeasureSets(
      long id,
      Action action,
      List<IpPrefix> v4,
      List<IpPrefix> v6,
      Map<Protocol, SortedSet<Integer>> ports) {
    this.id = id;
    this.action = action;
    this.v4 = v4;
    this.v6 = v6;
    this.ports = ports;
  }

  /**
   * Sorts the terms of {@code countermeasure} into sets; terms nft cannot hold go to {@code
   * uncovered}.
   */
  static CountermeasureSets of(CountermeasureTerms countermeasure, List<Uncovered> uncovered) {
    NetworkTerms terms =
        NetworkTerms.of(
            "nftables",
            countermeasure,
            EnumSet.allOf(Protocol.class),
            term -> "nftables has no rule for " + term.kind() + " terms",
            uncovered);
    return new CountermeasureSets(
        countermeasure.countermeasureId(),
        countermeasure.action(),
        IpPrefixes.normalise(terms.prefixes(IpPrefix.Family.V4)),
        IpPrefixes.normalise(terms.prefixes(IpPrefix.Family.V6)),
        Collections.unmodifiableMap(terms.ports()));
  }

  /** Copies the normalised sets out of a tally, for rendering a whole table from it. */
  static CountermeasureSets of(NetworkTally.Countermeasure cm) {
    Map<Protocol, SortedSet<Integer>> ports = new EnumMap<>(Protocol.class);
    for (Protocol protocol : Protocol.values()) {
      if (!cm.ports(protocol).isEmpty()) {
        ports.put(protocol, new TreeSet<>(cm.ports(protocol)));
      }
    }
    return new CountermeasureSets(
        cm.id(),
        cm.action(),
        cm.prefixes(IpPrefix.Family.V4).normalised(),
        cm.prefixes(IpPrefix.Family.V6).normalised(),
        Collections.unmodifiableMap(ports));
  }

  long id() {
    return id;
  }

  Action action() {
    return action;
  }

  /** Returns the rule comment and the stem of every set name: {@code cm<id>}. */
  String name() {
    return name(id);
  }

  /** Returns the set name stem of countermeasure {@code id}. */
  static String name(long id) {
    return "cm" + id;
  }

  List<IpPrefix> v4() {
    return v4;
  }

  List<IpPrefix> v6() {
    return v6;
  }

  /** The single addresses (/32, /128) of {@code prefixes}, which go in a set without intervals. */
  static List<IpPrefix> addresses(List<IpPrefix> prefixes) {
    return prefixes.stream().filter(IpPrefix::isSingleAddress).toList();
  }

  /** The prefixes of {@code prefixes} wider than one address, which need an interval set. */
  static List<IpPrefix> networks(List<IpPrefix> prefixes) {
    return prefixes.stream().filter(p -> !p.isSingleAddress()).toList();
  }

  /** Returns the ports of {@code protocol}, empty when there are none. */
  SortedSet<Integer> ports(Protocol protocol) {
    return ports.getOrDefault(protocol, Collections.emptySortedSet());
  }
}
