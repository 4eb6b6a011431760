package io.bulwark.rules.render;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The terms of one countermeasure that an address-and-port filter (an access list, a firewall
 * filter, a firewall rule or set) can match: its prefixes, and its destination ports of the
 * protocols the target matches. Every other term is reported as uncovered, in term order.
 *
 * @param prefixes the prefixes of both families in term order, not normalised
 * @param ports per protocol the ports in ascending order; a protocol without ports is absent, and
 *     iteration follows {@link Protocol} order
 */
public record NetworkTerms(List<IpPrefix> prefixes, Map<Protocol, SortedSet<Integer>> ports) {

  /**
   * Sorts the terms of {@code cm} for a device that matches TCP and UDP ports only.
   *
   * @param cm the countermeasure, never null
   * @param target the target id, which names the target in the reason for terms of another kind
   * @param sctpReason the reason given for an SCTP port
   * @param uncovered receives every term that is neither a prefix nor a TCP or UDP port
   * @return the prefixes and ports
   */
  public static NetworkTerms tcpUdp(
      CountermeasureTerms cm, String target, String sctpReason, List<Uncovered> uncovered) {
    return of(
        target,
        cm,
        EnumSet.of(Protocol.TCP, Protocol.UDP),
        term -> term instanceof PortTerm ? sctpReason : target + " has no match for " + term.kind(),
        uncovered);
  }

  /**
   * Sorts the terms of {@code cm}. A packet filter cannot redirect names, so every term of a
   * {@link Action#SINKHOLE} countermeasure is left out (see {@link Countermeasures#notSinkholed}).
   *
   * @param target the target id, named in the reason for the terms of a sinkhole countermeasure
   * @param cm the countermeasure, never null
   * @param protocols the protocols whose ports the target matches
   * @param reason the reason for a term left out (another kind, or a port of another protocol)
   * @param uncovered receives every term left out
   * @return the prefixes and ports
   */
  public static NetworkTerms of(
      String target,
      CountermeasureTerms cm,
      Set<Protocol> protocols,
      Function<Term, String> reason,
      List<Uncovered> uncovered) {
    List<IpPrefix> prefixes = new ArrayList<>();
    Map<Protocol, SortedSet<Integer>> ports = new EnumMap<>(Protocol.class);
    if (Countermeasures.leaveOutSinkhole(target, cm, uncovered)) {
      return new NetworkTerms(prefixes, ports);
    }
    for (Term term : cm.terms()) {
      if (term instanceof IpPrefix prefix) {
        prefixes.add(prefix);
      } else if (term instanceof PortTerm port && protocols.contains(port.protocol())) {
        ports.computeIfAbsent(port.protocol(), p -> new TreeSet<>()).add(port.port());
      } else {
        uncovered.add(new Uncovered(cm.countermeasureId(), term, reason.apply(term)));
      }
    }
    return new NetworkTerms(prefixes, ports);
  }

  /** Returns the prefixes of {@code family}, in term order. */
  public List<IpPrefix> prefixes(IpPrefix.Family family) {
    return prefixes.stream().filter(prefix -> prefix.family() == family).toList();
  }
}
