package io.bulwark.rules.nftables;

import io.bulwark.rules.render.ElementChange;
import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.SortedDifference;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes the nft transaction that turns one rendered table into another.
 *
 * <p>When both tables have the same shape (the same countermeasures with the same actions and the
 * same sets non-empty, hence the same chains and rules), only set elements differ: the delta is
 * {@code delete element} for what went and {@code add element} for what came, deletions first, so
 * that a prefix can be replaced by one overlapping it. Otherwise the delta is the full replacement
 * idiom: create the table if absent, delete it, and write the new one. Either way {@code nft -f}
 * applies it as one transaction.
 */
final class NftablesDelta {

  private final StringBuilder out = new StringBuilder();

  private NftablesDelta() {}

  static String write(List<CountermeasureSets> from, List<CountermeasureSets> to) {
    if (!shape(from).equals(shape(to))) {
      return replacement(to);
    }
    NftablesDelta delta = new NftablesDelta();
    for (int i = 0; i < from.size(); i++) {
      delta.sets(from.get(i), to.get(i), true);
    }
    for (int i = 0; i < from.size(); i++) {
      delta.sets(from.get(i), to.get(i), false);
    }
    return delta.out.toString();
  }

  /** Returns what decides the chains and rules: ids, actions and which sets exist, in order. */
  private static List<String> shape(List<CountermeasureSets> sets) {
    List<String> shape = new ArrayList<>(sets.size());
    for (CountermeasureSets cm : sets) {
      shape.add(
          shapeKey(
              cm.id(),
              cm.action(),
              cm.v4().isEmpty(),
              cm.v6().isEmpty(),
              protocol -> cm.ports(protocol).isEmpty()));
    }
    return shape;
  }

  /** Returns what decides the chains and rules of one countermeasure. */
  static String shapeKey(
      long id,
      Action action,
      boolean v4Empty,
      boolean v6Empty,
      java.util.function.Predicate<Protocol> portsEmpty) {
    StringBuilder key = new StringBuilder().append(id).append(action);
    key.append(v4Empty).append(v6Empty);
    for (Protocol protocol : Protocol.values()) {
      key.append(portsEmpty.test(protocol));
    }
    return key.toString();
  }

  /** Returns the full replacement of the table by the one of {@code to}. */
  static String replacement(List<CountermeasureSets> to) {
    return "table inet "
        + NftablesTableWriter.TABLE
        + " {}\ndelete table inet "
        + NftablesTableWriter.TABLE
        + "\n"
        + NftablesTableWriter.write(to);
  }

  /**
   * Writes the element changes of countermeasures whose shape did not change: deletions of all sets
   * first, then additions, in rule order.
   */
  static String elements(
      List<NetworkTally.Countermeasure> order, Map<Long, NetworkTally.Changes> changes) {
    NftablesDelta delta = new NftablesDelta();
    for (boolean deletions : new boolean[] {true, false}) {
      for (NetworkTally.Countermeasure cm : order) {
        NetworkTally.Changes change = changes.get(cm.id());
        if (change == null) {
          continue;
        }
        String name = CountermeasureSets.name(cm.id());
        delta.addresses(name + "_v4", change.v4(), deletions);
        delta.addresses(name + "_v6", change.v6(), deletions);
        for (Protocol protocol : Protocol.values()) {
          delta.elements(name + "_" + protocol.keyword(), change.ports(protocol), deletions);
        }
      }
    }
    return delta.out.toString();
  }

  private void elements(String set, ElementChange<?> change, boolean deletions) {
    write(set, deletions ? change.gone() : change.came(), deletions);
  }

  /** A family's change, split between its address set and its network set. */
  private void addresses(String set, ElementChange<IpPrefix> change, boolean deletions) {
    List<IpPrefix> changed = deletions ? change.gone() : change.came();
    write(set, CountermeasureSets.addresses(changed), deletions);
    write(set + "net", CountermeasureSets.networks(changed), deletions);
  }

  private void sets(CountermeasureSets before, CountermeasureSets after, boolean deletions) {
    for (String family : new String[] {"_v4", "_v6"}) {
      List<IpPrefix> was = family.equals("_v4") ? before.v4() : before.v6();
      List<IpPrefix> is = family.equals("_v4") ? after.v4() : after.v6();
      change(before.name() + family, CountermeasureSets.addresses(was), CountermeasureSets.addresses(is), deletions);
      change(
          before.name() + family + "net",
          CountermeasureSets.networks(was),
          CountermeasureSets.networks(is),
          deletions);
    }
    for (Protocol protocol : Protocol.values()) {
      change(
          before.name() + "_" + protocol.keyword(),
          before.ports(protocol),
          after.ports(protocol),
          deletions);
    }
  }

  /** Writes the elements only in {@code before} (deletions) or only in {@code after}. */
  private <T extends Comparable<T>> void change(
      String set, Collection<T> before, Collection<T> after, boolean deletions) {
    write(
        set,
        deletions ? SortedDifference.onlyIn(before, after) : SortedDifference.onlyIn(after, before),
        deletions);
  }

  private void write(String set, List<?> changed, boolean deletions) {
    if (changed.isEmpty()) {
      return;
    }
    out.append(deletions ? "delete" : "add")
        .append(" element inet ")
        .append(NftablesTableWriter.TABLE)
        .append(' ')
        .append(set)
        .append(" { ");
    for (int i = 0; i < changed.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(render(changed.get(i)));
    }
    out.append(" }\n");
  }

  private static String render(Object element) {
    return element instanceof IpPrefix prefix ? prefix.toString() : element.toString();
  }
}
