package io.bulwark.rules.ciscoios;

import io.bulwark.rules.spi.Action;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * The desired IOS state for one input, before it is spelled as commands: object groups with their
 * entries, and per access list the blocks of entries of each countermeasure. The full configuration
 * and the delta between two generations are both rendered from plans, so they cannot disagree.
 *
 * <p>Blocks are in evaluation order: BLOCK countermeasures first, then ALERT ones (a {@code permit
 * ... log} would otherwise let through traffic that a later entry blocks), each by id. Within a
 * block: source match, destination match, TCP ports, UDP ports. IOS ignores an entry equal to one
 * already in the list, so a port entry already rendered for an earlier countermeasure is left out
 * of later blocks; the device then holds exactly the entries of the plan.
 */
final class IosPlan {

  /** An object group of countermeasure {@code id} and its entries, in address order. */
  record Group(long id, String name, List<String> entries) {}

  /** The entries of one countermeasure in one access list, with the remark naming it. */
  record Block(long id, String remark, List<String> entries) {}

  private static final Comparator<CountermeasureTerms> ORDER =
      Comparator.comparing((CountermeasureTerms cm) -> cm.action() != Action.BLOCK)
          .thenComparingLong(CountermeasureTerms::countermeasureId);

  private final List<Group> groups = new ArrayList<>();
  private final Map<IosAcl, List<Block>> blocks = new EnumMap<>(IosAcl.class);
  private final List<Uncovered> uncovered = new ArrayList<>();

  private IosPlan() {
    for (IosAcl acl : IosAcl.values()) {
      blocks.put(acl, new ArrayList<>());
    }
  }

  List<Group> groups() {
    return groups;
  }

  List<Block> blocks(IosAcl acl) {
    return blocks.get(acl);
  }

  List<Uncovered> uncovered() {
    return uncovered;
  }

  /** Plans {@code input} within {@code limits}. */
  static PlanOutcome<IosPlan> of(RuleInput input, CiscoIosLimits limits) {
    Optional<GenerationResult.Invalid> problem = Countermeasures.problem(input);
    if (problem.isPresent()) {
      return new PlanOutcome.Rejected<>(problem.get().reason());
    }
    List<CountermeasureTerms> ordered = new ArrayList<>(input.countermeasures());
    ordered.sort(ORDER);
    IosPlan plan = new IosPlan();
    Map<IosAcl, Set<String>> rendered = new EnumMap<>(IosAcl.class);
    for (IosAcl acl : IosAcl.values()) {
      rendered.put(acl, new HashSet<>());
    }
    for (CountermeasureTerms cm : ordered) {
      plan.add(cm, rendered);
    }
    plan.groups.sort(Comparator.comparingLong(Group::id).thenComparing(Group::name));
    for (Group group : plan.groups) {
      if (group.entries().size() > limits.maxGroupEntries()) {
        return new PlanOutcome.Rejected<>(
            "object-group "
                + group.name()
                + " would hold "
                + group.entries().size()
                + " entries, more than the limit of "
                + limits.maxGroupEntries());
      }
    }
    for (IosAcl acl : IosAcl.values()) {
      int entries = 1 + plan.blocks(acl).stream().mapToInt(b -> b.entries().size()).sum();
      if (entries > limits.maxAclEntries()) {
        return new PlanOutcome.Rejected<>(
            acl.header()
                + " would hold "
                + entries
                + " entries, more than the limit of "
                + limits.maxAclEntries());
      }
    }
    return new PlanOutcome.Planned<>(plan);
  }

  private void add(CountermeasureTerms cm, Map<IosAcl, Set<String>> rendered) {
    long id = cm.countermeasureId();
    String sctp = "IOS access lists match ports of tcp and udp only";
    NetworkTerms terms = NetworkTerms.tcpUdp(cm, CiscoIosGenerator.ID, sctp, uncovered);
    boolean block = cm.action() == Action.BLOCK;
    String verb = block ? "deny " : "permit ";
    String log = block ? "" : " log";
    String remark = "remark bulwark cm" + id + (block ? " block" : " alert");
    for (IosAcl acl : IosAcl.values()) {
      IpPrefix.Family family = acl == IosAcl.V4 ? IpPrefix.Family.V4 : IpPrefix.Family.V6;
      List<IpPrefix> prefixes = IpPrefixes.normalise(terms.prefixes(family));
      List<String> entries = new ArrayList<>();
      if (!prefixes.isEmpty()) {
        String name = "BULWARK-CM" + id + (acl == IosAcl.V4 ? "-V4" : "-V6");
        groups.add(new Group(id, name, prefixes.stream().map(IosSyntax::groupEntry).toList()));
        entries.add(verb + acl.protocol() + " object-group " + name + " any" + log);
        entries.add(verb + acl.protocol() + " any object-group " + name + log);
      }
      for (Map.Entry<Protocol, SortedSet<Integer>> entry : terms.ports().entrySet()) {
        for (int port : entry.getValue()) {
          String ace = verb + entry.getKey().keyword() + " any any eq " + port + log;
          if (rendered.get(acl).add(ace)) {
            entries.add(ace);
          }
        }
      }
      if (!entries.isEmpty()) {
        blocks.get(acl).add(new Block(id, remark, List.copyOf(entries)));
      }
    }
  }
}
