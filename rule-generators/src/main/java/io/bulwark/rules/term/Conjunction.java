package io.bulwark.rules.term;

import io.bulwark.rules.term.IpPrefix.Family;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/** Reduces one conjunction of facts to terms, or to the reason it cannot be one kind of term. */
final class Conjunction {

  private final Set<IpPrefix> addresses = new LinkedHashSet<>();
  private final Set<Integer> ports = new LinkedHashSet<>();
  private final Set<Protocol> transports = new LinkedHashSet<>();
  private final Set<Family> families = new LinkedHashSet<>();
  private final Set<String> blocked = new LinkedHashSet<>();
  private final Set<Term> values = new LinkedHashSet<>();

  private Conjunction() {}

  /** Adds the terms of {@code facts}, all of which must hold at once, or reports why not. */
  static void reduce(List<Fact> facts, Set<Term> terms, Set<Unenforceable> unenforceable) {
    Conjunction conjunction = new Conjunction();
    for (Fact fact : facts) {
      conjunction.add(fact);
    }
    String problem = conjunction.problem();
    if (problem == null) {
      conjunction.addTerms(terms);
    } else if (facts.size() == 1) {
      // Reasons of blocked facts already start with their comparison.
      String single =
          conjunction.blocked.isEmpty() ? facts.get(0).source() + ": " + problem : problem;
      unenforceable.add(new Unenforceable(single));
    } else {
      StringJoiner sources = new StringJoiner(" AND ");
      facts.forEach(fact -> sources.add(fact.source()));
      unenforceable.add(new Unenforceable(sources + " cannot be one term: " + problem));
    }
  }

  private void add(Fact fact) {
    if (fact instanceof Fact.Address address) {
      addresses.add(address.prefix());
    } else if (fact instanceof Fact.DestinationPort port) {
      ports.add(port.port());
    } else if (fact instanceof Fact.Transport transport) {
      transports.add(transport.protocol());
    } else if (fact instanceof Fact.AddressFamily family) {
      families.add(family.family());
    } else if (fact instanceof Fact.Value value) {
      values.add(value.term());
    } else if (fact instanceof Fact.Blocked block) {
      blocked.add(block.reason());
    }
  }

  /** Returns null when the facts reduce to terms, else what stops them. */
  private String problem() {
    if (!blocked.isEmpty()) {
      return String.join("; ", blocked);
    }
    if (!values.isEmpty()) {
      return valuesProblem();
    }
    if (!addresses.isEmpty() && (!ports.isEmpty() || !transports.isEmpty())) {
      return "an address and a port together are not enforceable";
    }
    if (addresses.size() > 1) {
      return "one address cannot equal several values";
    }
    if (addresses.size() == 1) {
      Family family = addresses.iterator().next().family();
      boolean consistent = families.stream().allMatch(f -> f == family);
      return consistent ? null : "the address type contradicts the address";
    }
    if (ports.size() > 1) {
      return "one destination port cannot equal several values";
    }
    if (transports.size() > 1) {
      return "the port cannot belong to several transport protocols at once";
    }
    if (ports.isEmpty()) {
      return transports.isEmpty()
          ? "nothing in it names a value to enforce"
          : "a protocol without a destination port is not enforceable";
    }
    return null;
  }

  /**
   * Domains, URLs and hashes stand alone, except that hashes of one file under different algorithms
   * name the same file, so each of them is a term for it.
   */
  private String valuesProblem() {
    if (!addresses.isEmpty() || !ports.isEmpty() || !transports.isEmpty() || !families.isEmpty()) {
      String kind = values.iterator().next().kind();
      return "a " + kind + " and network traffic conditions together are not enforceable";
    }
    if (values.size() == 1) {
      return null;
    }
    Set<HashTerm.Algorithm> algorithms = new LinkedHashSet<>();
    for (Term value : values) {
      if (!(value instanceof HashTerm hash) || !algorithms.add(hash.algorithm())) {
        return "one value cannot equal several values";
      }
    }
    return null;
  }

  private void addTerms(Set<Term> terms) {
    if (!values.isEmpty()) {
      terms.addAll(values);
      return;
    }
    if (!addresses.isEmpty()) {
      terms.add(addresses.iterator().next());
      return;
    }
    int port = ports.iterator().next();
    if (transports.isEmpty()) {
      terms.add(new PortTerm(Protocol.TCP, port));
      terms.add(new PortTerm(Protocol.UDP, port));
    } else {
      terms.add(new PortTerm(transports.iterator().next(), port));
    }
  }
}
