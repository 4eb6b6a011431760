package io.bulwark.rules.junos;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.render.DeviceAddresses;
import io.bulwark.rules.render.NetworkTerms;
import io.bulwark.rules.render.PlanOutcome;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

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
  static PlanOutcome<JunosPlan> of(RuleInput input, JunosLimits limits) {
    Optional<GenerationResult.Invalid> problem = Countermeasures.problem(input);
    if (problem.isPresent()) {
      return new PlanOutcome.Rejected<>(problem.get().reason());
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
        return new PlanOutcome.Rejected<>(
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
        return new PlanOutcome.Rejected<>(
            "filter "
                + family.termPath().replace(" term ", "")
                + " would hold "
                + filter.size()
                + " terms, more than the limit of "
                + limits.maxFilterTerms());
      }
    }
    return new PlanOutcome.Planned<>(plan);
  }

  private void add(CountermeasureTerms cm) {
    long id = cm.countermeasureId();
    NetworkTerms terms =
        NetworkTerms.tcpUdp(
            cm, JunosGenerator.ID, "Junos filters match ports of tcp and udp only", uncovered);
    List<String> then =
        cm.action() == Action.BLOCK
            ? List.of("then discard")
            : List.of("then syslog", "then accept");
    for (JunosFamily family : JunosFamily.values()) {
      List<IpPrefix> normalised =
          IpPrefixes.normalise(terms.prefixes(family.addresses()));
      if (!normalised.isEmpty()) {
        String list = family.listName(id);
        prefixLists.add(
            new PrefixList(id, list, normalised.stream().map(JunosPlan::spell).toList()));
        term(family, cm, "cm" + id + "-src", List.of("from source-prefix-list " + list), then);
        term(family, cm, "cm" + id + "-dst", List.of("from destination-prefix-list " + list), then);
      }
      for (Map.Entry<Protocol, SortedSet<Integer>> entry : terms.ports().entrySet()) {
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
    return DeviceAddresses.withLength(prefix);
  }
}
