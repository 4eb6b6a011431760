package io.bulwark.rules.nftables;

import io.bulwark.rules.spi.SortedDifference;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
      return "table inet "
          + NftablesTableWriter.TABLE
          + " {}\ndelete table inet "
          + NftablesTableWriter.TABLE
          + "\n"
          + NftablesTableWriter.write(to);
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
      StringBuilder key = new StringBuilder().append(cm.id()).append(cm.action());
      key.append(cm.v4().isEmpty()).append(cm.v6().isEmpty());
      for (Protocol protocol : Protocol.values()) {
        key.append(cm.ports(protocol).isEmpty());
      }
      shape.add(key.toString());
    }
    return shape;
  }

  private void sets(CountermeasureSets before, CountermeasureSets after, boolean deletions) {
    change(before.name() + "_v4", before.v4(), after.v4(), deletions);
    change(before.name() + "_v6", before.v6(), after.v6(), deletions);
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
    List<T> changed =
        deletions ? SortedDifference.onlyIn(before, after) : SortedDifference.onlyIn(after, before);
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
