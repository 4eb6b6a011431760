package io.bulwark.rules.render;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.RuleChange;
import io.bulwark.rules.spi.RuleChange.InvalidChangeException;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The terms of every countermeasure of one input, kept as an address-and-port target renders them
 * (see {@link NetworkTerms}): per countermeasure a {@link PrefixTally} per family and a {@link
 * Tally} of ports per protocol, plus the terms the target leaves out. It is what an
 * address-and-port target keeps between generations to render a delta from a {@link RuleChange}.
 * Not thread-safe.
 */
public final class NetworkTally {

  private final String target;
  private final Set<Protocol> protocols;
  private final Function<Term, String> reason;
  private final TreeMap<Long, Countermeasure> countermeasures = new TreeMap<>();
  private long generation;
  private Undo undo;

  private NetworkTally(String target, Set<Protocol> protocols, Function<Term, String> reason) {
    this.target = target;
    this.protocols = protocols;
    this.reason = reason;
  }

  /**
   * Tallies a valid input (see {@link Countermeasures#problem}). Every term of a {@link
   * Action#SINKHOLE} countermeasure is left out, since a packet filter cannot redirect names.
   *
   * @param target the target id, named in the reason for the terms of a sinkhole countermeasure
   * @param input the input
   * @param protocols the protocols whose ports the target matches
   * @param reason the reason for a term the target leaves out
   */
  public static NetworkTally of(
      String target, RuleInput input, Set<Protocol> protocols, Function<Term, String> reason) {
    NetworkTally tally = new NetworkTally(target, protocols, reason);
    tally.generation = input.generation();
    for (CountermeasureTerms cm : input.countermeasures()) {
      Countermeasure held = new Countermeasure(cm);
      held.add(cm.terms(), tally, new ArrayList<>());
      tally.countermeasures.put(cm.countermeasureId(), held);
    }
    return tally;
  }

  /** Returns the generation of the input held. */
  public long generation() {
    return generation;
  }

  /** Returns the countermeasures held, in {@link Countermeasures#RULE_ORDER}. */
  public List<Countermeasure> inRuleOrder() {
    List<Countermeasure> ordered = new ArrayList<>(countermeasures.values());
    // The order of Countermeasures.RULE_ORDER, which compares whole CountermeasureTerms.
    ordered.sort(
        java.util.Comparator.comparing((Countermeasure cm) -> cm.action() != Action.ALERT)
            .thenComparingLong(Countermeasure::id));
    return ordered;
  }

  /**
   * Applies {@code change}, or nothing when it does not fit.
   *
   * @param change the change
   * @param uncovered receives the added terms the target leaves out
   * @return per countermeasure id still held, the changes of its sets; countermeasures without
   *     changes may be absent
   * @throws InvalidChangeException when the change does not fit; then nothing was changed
   */
  public Map<Long, Changes> apply(RuleChange change, List<Uncovered> uncovered) {
    check(change);
    undo = new Undo(generation);
    for (long id : change.withdrawn()) {
      undo.withdrawn.add(countermeasures.remove(id));
    }
    Map<Long, List<Term>> removed = new HashMap<>();
    for (CountermeasureTerms cm : change.removed()) {
      removed.put(cm.countermeasureId(), cm.terms());
    }
    Map<Long, List<Term>> added = new HashMap<>();
    for (CountermeasureTerms cm : change.added()) {
      added.put(cm.countermeasureId(), cm.terms());
      if (!countermeasures.containsKey(cm.countermeasureId())) {
        countermeasures.put(cm.countermeasureId(), new Countermeasure(cm));
        undo.created.add(cm.countermeasureId());
      }
    }
    Map<Long, Changes> changes = new HashMap<>();
    for (Countermeasure cm : countermeasures.values()) {
      List<Term> gone = removed.getOrDefault(cm.id(), List.of());
      List<Term> came = added.getOrDefault(cm.id(), List.of());
      if (!gone.isEmpty() || !came.isEmpty()) {
        changes.put(cm.id(), cm.apply(gone, came, this, uncovered));
        undo.changed.put(cm.id(), new Moved(gone, came));
      }
    }
    generation = change.generation();
    return changes;
  }

  /**
   * Takes back the last {@link #apply}, for a target that finds the result breaks one of its
   * limits. Does nothing when there is nothing to take back.
   */
  public void undo() {
    if (undo == null) {
      return;
    }
    undo.changed.forEach(
        (id, moved) ->
            countermeasures.get(id).apply(moved.came(), moved.gone(), this, new ArrayList<>()));
    undo.created.forEach(countermeasures::remove);
    undo.withdrawn.forEach(cm -> countermeasures.put(cm.id(), cm));
    generation = undo.generation;
    undo = null;
  }

  private record Moved(List<Term> gone, List<Term> came) {}

  /** What the last apply changed, so that it can be taken back. */
  private static final class Undo {
    final long generation;
    final List<Countermeasure> withdrawn = new ArrayList<>();
    final List<Long> created = new ArrayList<>();
    final Map<Long, Moved> changed = new HashMap<>();

    Undo(long generation) {
      this.generation = generation;
    }
  }

  /** Returns the input held, rebuilt; terms come grouped by kind. */
  public RuleInput input() {
    List<CountermeasureTerms> cms = new ArrayList<>();
    for (Countermeasure cm : countermeasures.values()) {
      cms.add(new CountermeasureTerms(cm.id(), cm.action(), cm.terms(), cm.sinkhole));
    }
    return new RuleInput(generation, cms);
  }

  /** Checks {@code change} against what is held, without changing anything. */
  private void check(RuleChange change) {
    Map<Long, Action> actions = new HashMap<>();
    countermeasures.forEach((id, cm) -> actions.put(id, cm.action()));
    for (long id : change.withdrawn()) {
      if (actions.remove(id) == null) {
        throw new InvalidChangeException("countermeasure " + id + " is withdrawn but not held");
      }
    }
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (CountermeasureTerms cm : change.removed()) {
      checkId(cm, seen, "removed");
      checkAction(actions.get(cm.countermeasureId()), cm, "has terms removed");
      countermeasures.get(cm.countermeasureId()).checkHolds(cm.terms(), this);
    }
    seen.clear();
    for (CountermeasureTerms cm : change.added()) {
      checkId(cm, seen, "added");
      Action held = actions.get(cm.countermeasureId());
      if (held != null) {
        checkAction(held, cm, "gains terms");
      }
    }
  }

  private static void checkId(CountermeasureTerms cm, Set<Long> seen, String what) {
    if (cm.countermeasureId() < 1) {
      throw new InvalidChangeException(
          "countermeasure id " + cm.countermeasureId() + " is not positive");
    }
    if (!seen.add(cm.countermeasureId())) {
      throw new InvalidChangeException(
          "countermeasure " + cm.countermeasureId() + " is listed twice as " + what);
    }
  }

  private static void checkAction(Action held, CountermeasureTerms cm, String what) {
    if (held == null) {
      throw new InvalidChangeException(
          "countermeasure " + cm.countermeasureId() + " " + what + " but is not held");
    }
    if (held != cm.action()) {
      throw new InvalidChangeException(
          "countermeasure "
              + cm.countermeasureId()
              + " "
              + what
              + " as "
              + cm.action()
              + " but is held as "
              + held);
    }
  }

  /**
   * The changes of one countermeasure's sets.
   *
   * @param v4 the IPv4 elements
   * @param v6 the IPv6 elements
   * @param ports per protocol the ports; a protocol without changes may be absent
   */
  public record Changes(
      ElementChange<IpPrefix> v4,
      ElementChange<IpPrefix> v6,
      Map<Protocol, ElementChange<Integer>> ports) {

    /** Returns the port changes of {@code protocol}, empty when there are none. */
    public ElementChange<Integer> ports(Protocol protocol) {
      return ports.getOrDefault(protocol, new ElementChange<>(List.of(), List.of()));
    }
  }

  /** One countermeasure's tallies. */
  public static final class Countermeasure {

    private final long id;
    private final Action action;
    private final io.bulwark.rules.spi.Sinkhole sinkhole;
    private final PrefixTally v4 = new PrefixTally(IpPrefix.Family.V4);
    private final PrefixTally v6 = new PrefixTally(IpPrefix.Family.V6);
    private final Map<Protocol, Tally<Integer>> ports = new EnumMap<>(Protocol.class);
    private final Map<Term, Integer> others = new HashMap<>();

    private Countermeasure(CountermeasureTerms cm) {
      this.id = cm.countermeasureId();
      this.action = cm.action();
      this.sinkhole = cm.sinkhole();
    }

    /** Returns the countermeasure's id. */
    public long id() {
      return id;
    }

    /** Returns the countermeasure's action. */
    public Action action() {
      return action;
    }

    /** Returns the countermeasure's sinkhole, null unless its action is sinkhole. */
    public io.bulwark.rules.spi.Sinkhole sinkhole() {
      return sinkhole;
    }

    /** Returns the prefixes of {@code family}. */
    public PrefixTally prefixes(IpPrefix.Family family) {
      return family == IpPrefix.Family.V4 ? v4 : v6;
    }

    /** Returns the ports of {@code protocol}, ascending; empty when there are none. */
    public java.util.SortedSet<Integer> ports(Protocol protocol) {
      Tally<Integer> tally = ports.get(protocol);
      return tally == null ? java.util.Collections.emptySortedSet() : tally.elements();
    }

    private void add(List<Term> terms, NetworkTally owner, List<Uncovered> uncovered) {
      Sorted sorted = owner.sort(action, terms);
      v4.addAll(sorted.v4);
      v6.addAll(sorted.v6);
      sorted.ports.forEach((protocol, list) -> tally(protocol).addAll(list));
      for (Term term : sorted.others) {
        others.merge(term, 1, Integer::sum);
        uncovered.add(new Uncovered(id, term, owner.reasonFor(action, term)));
      }
    }

    private Changes apply(
        List<Term> removed, List<Term> added, NetworkTally owner, List<Uncovered> uncovered) {
      Sorted gone = owner.sort(action, removed);
      Sorted came = owner.sort(action, added);
      for (Term term : gone.others) {
        others.merge(term, -1, (a, b) -> a + b == 0 ? null : a + b);
      }
      for (Term term : came.others) {
        others.merge(term, 1, Integer::sum);
        uncovered.add(new Uncovered(id, term, owner.reasonFor(action, term)));
      }
      Map<Protocol, ElementChange<Integer>> portChanges = new EnumMap<>(Protocol.class);
      for (Protocol protocol : owner.protocols) {
        List<Integer> portsGone = gone.ports.getOrDefault(protocol, List.of());
        List<Integer> portsCame = came.ports.getOrDefault(protocol, List.of());
        if (!portsGone.isEmpty() || !portsCame.isEmpty()) {
          portChanges.put(protocol, tally(protocol).apply(portsGone, portsCame));
          if (ports.get(protocol).isEmpty()) {
            ports.remove(protocol);
          }
        }
      }
      return new Changes(v4.apply(gone.v4, came.v4), v6.apply(gone.v6, came.v6), portChanges);
    }

    /** Throws unless every occurrence in {@code terms} is held. */
    private void checkHolds(List<Term> terms, NetworkTally owner) {
      Map<Term, Integer> wanted = new HashMap<>();
      for (Term term : terms) {
        wanted.merge(term, 1, Integer::sum);
      }
      for (Map.Entry<Term, Integer> want : wanted.entrySet()) {
        if (held(want.getKey(), owner) < want.getValue()) {
          throw new InvalidChangeException(
              "countermeasure "
                  + id
                  + " loses "
                  + want.getKey().kind()
                  + " terms it does not hold");
        }
      }
    }

    private int held(Term term, NetworkTally owner) {
      if (action == Action.SINKHOLE) {
        return others.getOrDefault(term, 0);
      }
      if (term instanceof IpPrefix prefix) {
        return prefixes(prefix.family()).count(prefix);
      }
      if (term instanceof PortTerm port && owner.protocols.contains(port.protocol())) {
        Tally<Integer> tally = ports.get(port.protocol());
        return tally == null ? 0 : tally.count(port.port());
      }
      return others.getOrDefault(term, 0);
    }

    private Tally<Integer> tally(Protocol protocol) {
      return ports.computeIfAbsent(protocol, p -> new Tally<>());
    }

    private List<Term> terms() {
      List<Term> terms = new ArrayList<>();
      for (PrefixTally family : List.of(v4, v6)) {
        family.forEachOccurrence(terms::add);
      }
      ports.forEach(
          (protocol, tally) ->
              tally.forEachOccurrence(port -> terms.add(new PortTerm(protocol, port))));
      others.forEach(
          (term, count) -> {
            for (int i = 0; i < count; i++) {
              terms.add(term);
            }
          });
      return terms;
    }
  }

  private String reasonFor(Action action, Term term) {
    return action == Action.SINKHOLE
        ? Countermeasures.notSinkholed(target, term)
        : reason.apply(term);
  }

  /** Sorts terms by how the target holds them; a sinkhole countermeasure holds none in sets. */
  private Sorted sort(Action action, List<Term> terms) {
    Sorted sorted = new Sorted();
    for (Term term : terms) {
      if (action == Action.SINKHOLE) {
        sorted.others.add(term);
      } else if (term instanceof IpPrefix prefix) {
        (prefix.family() == IpPrefix.Family.V4 ? sorted.v4 : sorted.v6).add(prefix);
      } else if (term instanceof PortTerm port && protocols.contains(port.protocol())) {
        sorted.ports.computeIfAbsent(port.protocol(), p -> new ArrayList<>()).add(port.port());
      } else {
        sorted.others.add(term);
      }
    }
    return sorted;
  }

  /** Terms split by how the target holds them. */
  private static final class Sorted {
    final List<IpPrefix> v4 = new ArrayList<>();
    final List<IpPrefix> v6 = new ArrayList<>();
    final Map<Protocol, List<Integer>> ports = new EnumMap<>(Protocol.class);
    final List<Term> others = new ArrayList<>();
  }
}
