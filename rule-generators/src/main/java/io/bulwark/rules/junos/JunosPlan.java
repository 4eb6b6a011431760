package io.bulwark.rules.junos;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The desired Junos state for one input: prefix lists with their prefixes, and per family the
 * filter terms in evaluation order. The full configuration and deltas are both rendered from plans.
 *
 * <p>Terms of BLOCK countermeasures come first, then those of ALERT countermeasures (which accept
 * after logging, so a later discard would never be reached), each by id, then {@code accept-all}.
 * Per countermeasure: {@code cmN-src}, {@code cmN-dst} (its prefix list as source and as
 * destination), {@code cmN-tcp} and {@code cmN-udp} (destination ports).
 */
final class JunosPlan {

  /** The name of the term that ends each filter. */
  static final String ACCEPT_ALL = "accept-all";

  /** A prefix list of countermeasure {@code id} and its prefixes, in address order. */
  record PrefixList(long id, String name, List<String> prefixes) {}

  /**
   * A filter term: its name, the action of its countermeasure (null for {@code accept-all}) and its
   * statements after {@code term NAME}, {@code from} ones first.
   */
  record FilterTerm(String name, Action action, List<String> statements) {}

  /** The outcome of planning. */
  sealed interface Outcome {}

  /** The input becomes {@code plan}. */
  record Planned(JunosPlan plan) implements Outcome {}

  /** The input breaks the contract or a limit. */
  record Rejected(String reason) implements Outcome {}

  private static final Comparator<CountermeasureTerms> ORDER =
      Comparator.comparing((CountermeasureTerms cm) -> cm.action() != Action.BLOCK)
          .thenComparingLong(CountermeasureTerms::countermeasureId);

  private final List<PrefixList> prefixLists = new ArrayList<>();
  private final Map<JunosFamily, List<FilterTerm>> terms = new EnumMap<>(JunosFamily.class);
  private final List<Uncovered> uncovered = new ArrayList<>();

  private JunosPlan() {
    for (JunosFamily family : JunosFamily.values()) {
      terms.put(family, new ArrayList<>());
    }
  }

  List<PrefixList> prefixLists() {
    return prefixLists;
  }

  List<FilterTerm> terms(JunosFamily family) {
    return terms.get(family);
  }

  List<Uncovered> uncovered() {
    return uncovered;
  }

  /** Plans {@code input} within {@code limits}. */
  static Outcome of(RuleInput input, JunosLimits limits) {
    Set<Long> seen = new HashSet<>();
    for (CountermeasureTerms cm : input.countermeasures()) {
      if (cm.countermeasureId() < 1) {
        return new Rejected("countermeasure id " + cm.countermeasureId() + " is not positive");
      }
      if (!seen.add(cm.countermeasureId())) {
        return new Rejected("countermeasure " + cm.countermeasureId() + " appears more than once");
      }
    }
    List<CountermeasureTerms> ordered = new ArrayList<>(input.countermeasures());
    ordered.sort(ORDER);
    JunosPlan plan = new JunosPlan();
    for (CountermeasureTerms cm : ordered) {
      plan.add(cm);
    }
    plan.prefixLists.sort(Comparator.comparingLong(PrefixList::id).thenComparing(PrefixList::name));
    for (PrefixList list : plan.prefixLists) {
      if (list.prefixes().size() > limits.maxPrefixListEntries()) {
        return new Rejected(
            "prefix-list "
                + list.name()
                + " would hold "
                + list.prefixes().size()
                + " prefixes, more than the limit of "
                + limits.maxPrefixListEntries());
      }
    }
    for (JunosFamily family : JunosFamily.values()) {
      List<FilterTerm> filter = plan.terms(family);
      filter.add(new FilterTerm(ACCEPT_ALL, null, List.of("then accept")));
      if (filter.size() > limits.maxFilterTerms()) {
        return new Rejected(
            "filter "
                + family.termPath().replace(" term ", "")
                + " would hold "
                + filter.size()
                + " terms, more than the limit of "
                + limits.maxFilterTerms());
      }
    }
    return new Planned(plan);
  }

  private void add(CountermeasureTerms cm) {
    long id = cm.countermeasureId();
    Map<IpPrefix.Family, List<IpPrefix>> prefixes = new EnumMap<>(IpPrefix.Family.class);
    Map<Protocol, SortedSet<Integer>> ports = new EnumMap<>(Protocol.class);
    for (Term term : cm.terms()) {
      if (term instanceof IpPrefix prefix) {
        prefixes.computeIfAbsent(prefix.family(), f -> new ArrayList<>()).add(prefix);
      } else if (term instanceof PortTerm port && port.protocol() != Protocol.SCTP) {
        ports.computeIfAbsent(port.protocol(), p -> new TreeSet<>()).add(port.port());
      } else if (term instanceof PortTerm) {
        uncovered.add(new Uncovered(id, term, "Junos filters match ports of tcp and udp only"));
      } else {
        uncovered.add(new Uncovered(id, term, "junos has no match for " + term.kind()));
      }
    }
    List<String> then =
        cm.action() == Action.BLOCK
            ? List.of("then discard")
            : List.of("then syslog", "then accept");
    for (JunosFamily family : JunosFamily.values()) {
      List<IpPrefix> normalised =
          IpPrefixes.normalise(prefixes.getOrDefault(family.addresses(), List.of()));
      if (!normalised.isEmpty()) {
        String list = family.listName(id);
        prefixLists.add(
            new PrefixList(id, list, normalised.stream().map(JunosPlan::spell).toList()));
        term(family, cm, "cm" + id + "-src", List.of("from source-prefix-list " + list), then);
        term(family, cm, "cm" + id + "-dst", List.of("from destination-prefix-list " + list), then);
      }
      for (Map.Entry<Protocol, SortedSet<Integer>> entry : ports.entrySet()) {
        List<String> from = new ArrayList<>();
        from.add("from " + family.protocolMatch() + " " + entry.getKey().keyword());
        entry.getValue().forEach(port -> from.add("from destination-port " + port));
        term(family, cm, "cm" + id + "-" + entry.getKey().keyword(), from, then);
      }
    }
  }

  private void term(
      JunosFamily family,
      CountermeasureTerms cm,
      String name,
      List<String> from,
      List<String> then) {
    List<String> statements = new ArrayList<>(from);
    statements.addAll(then);
    terms.get(family).add(new FilterTerm(name, cm.action(), List.copyOf(statements)));
  }

  /**
   * Spells a prefix with its length always written, and IPv6 in hexadecimal groups only (the
   * canonical text keeps a dotted tail for IPv4-mapped addresses).
   */
  static String spell(IpPrefix prefix) {
    String text = prefix.toString();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (prefix.family() == IpPrefix.Family.V6 && address.indexOf('.') >= 0) {
      long tail = prefix.low() & 0xFFFF_FFFFL;
      address =
          address.substring(0, address.lastIndexOf(':') + 1)
              + Long.toHexString(tail >>> 16)
              + ":"
              + Long.toHexString(tail & 0xFFFF);
    }
    return address + "/" + prefix.length();
  }
}
