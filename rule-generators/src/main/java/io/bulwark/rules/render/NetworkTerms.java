package io.bulwark.rules.render;

import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The terms of one countermeasure that an address-and-port filter (an access list, a firewall
 * filter or rule) can match: its prefixes, and its TCP and UDP destination ports. Every other term
 * is reported as uncovered, in term order.
 *
 * @param prefixes the prefixes of both families in term order, not normalised
 * @param ports per protocol (TCP, UDP) the ports in ascending order; a protocol without ports is
 *     absent, and iteration follows {@link Protocol} order
 */
public record NetworkTerms(List<IpPrefix> prefixes, Map<Protocol, SortedSet<Integer>> ports) {

  /**
   * Sorts the terms of {@code cm}.
   *
   * @param cm the countermeasure, never null
   * @param target the target id, which names the target in the reason for terms of another kind
   * @param sctpReason the reason given for an SCTP port
   * @param uncovered receives every term that is neither a prefix nor a TCP or UDP port
   * @return the prefixes and ports
   */
  public static NetworkTerms of(
      CountermeasureTerms cm, String target, String sctpReason, List<Uncovered> uncovered) {
    long id = cm.countermeasureId();
    List<IpPrefix> prefixes = new ArrayList<>();
    Map<Protocol, SortedSet<Integer>> ports = new EnumMap<>(Protocol.class);
    for (Term term : cm.terms()) {
      if (term instanceof IpPrefix prefix) {
        prefixes.add(prefix);
      } else if (term instanceof PortTerm port && port.protocol() != Protocol.SCTP) {
        ports.computeIfAbsent(port.protocol(), p -> new TreeSet<>()).add(port.port());
      } else if (term instanceof PortTerm) {
        uncovered.add(new Uncovered(id, term, sctpReason));
      } else {
        uncovered.add(new Uncovered(id, term, target + " has no match for " + term.kind()));
      }
    }
    return new NetworkTerms(prefixes, ports);
  }

  /** Returns the prefixes of {@code family}, in term order. */
  public List<IpPrefix> prefixes(IpPrefix.Family family) {
    return prefixes.stream().filter(prefix -> prefix.family() == family).toList();
  }
}
