package io.bulwark.rules.iptables;

import io.bulwark.rules.render.ElementChange;
import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.spi.SortedDifference;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code ipset restore} commands that turn the sets of one generation into the next,
 * when the chains stay the same: the same countermeasures, actions and non-empty sets. {@code del}
 * commands come first, then {@code add}.
 */
final class IpsetDelta {

  private IpsetDelta() {}

  /** Returns true when only set elements differ, so the chains need not be reloaded. */
  static boolean sameShape(List<IpsetContents> from, List<IpsetContents> to) {
    return shape(from).equals(shape(to));
  }

  static String write(List<IpsetContents> from, List<IpsetContents> to) {
    StringBuilder out = new StringBuilder();
    for (boolean deletions : new boolean[] {true, false}) {
      for (int i = 0; i < from.size(); i++) {
        IpsetContents before = from.get(i);
        IpsetContents after = to.get(i);
        change(out, before.stem() + "-v4", before.v4(), after.v4(), deletions);
        change(out, before.stem() + "-v6", before.v6(), after.v6(), deletions);
        for (Protocol protocol : Protocol.values()) {
          String name = before.stem() + "-" + protocol.keyword();
          change(out, name, before.ports(protocol), after.ports(protocol), deletions);
        }
      }
    }
    return out.toString();
  }

  /**
   * Writes the element changes of countermeasures whose chains did not change: {@code del} of all
   * sets first, then {@code add}, in rule order.
   */
  static String elements(
      List<NetworkTally.Countermeasure> order, Map<Long, NetworkTally.Changes> changes) {
    StringBuilder out = new StringBuilder();
    for (boolean deletions : new boolean[] {true, false}) {
      for (NetworkTally.Countermeasure cm : order) {
        NetworkTally.Changes change = changes.get(cm.id());
        if (change == null) {
          continue;
        }
        String stem = IpsetContents.stem(cm.id());
        write(out, stem + "-v4", prefixes(change.v4(), deletions), deletions);
        write(out, stem + "-v6", prefixes(change.v6(), deletions), deletions);
        for (Protocol protocol : Protocol.values()) {
          ElementChange<Integer> ports = change.ports(protocol);
          write(
              out,
              stem + "-" + protocol.keyword(),
              deletions ? ports.gone() : ports.came(),
              deletions);
        }
      }
    }
    return out.toString();
  }

  /** Returns the prefixes that left or joined the set as ipset holds it, with a /0 in halves. */
  private static List<IpPrefix> prefixes(ElementChange<IpPrefix> change, boolean deletions) {
    List<IpPrefix> gone = IpsetContents.splitDefault(change.gone());
    List<IpPrefix> came = IpsetContents.splitDefault(change.came());
    return deletions ? SortedDifference.onlyIn(gone, came) : SortedDifference.onlyIn(came, gone);
  }

  private static void write(StringBuilder out, String set, List<?> changed, boolean deletions) {
    for (Object element : changed) {
      out.append(deletions ? "del " : "add ").append(set).append(' ').append(element).append('\n');
    }
  }

  private static <T extends Comparable<T>> void change(
      StringBuilder out, String set, List<T> before, List<T> after, boolean deletions) {
    List<T> changed =
        deletions ? SortedDifference.onlyIn(before, after) : SortedDifference.onlyIn(after, before);
    for (T element : changed) {
      out.append(deletions ? "del " : "add ").append(set).append(' ').append(element).append('\n');
    }
  }

  private static List<String> shape(List<IpsetContents> sets) {
    List<String> shape = new ArrayList<>(sets.size());
    for (IpsetContents set : sets) {
      shape.add(
          shapeKey(
              set.countermeasure().countermeasureId(),
              set.countermeasure().action(),
              set.v4().isEmpty(),
              set.v6().isEmpty(),
              protocol -> set.ports(protocol).isEmpty()));
    }
    return shape;
  }

  /** Returns what decides the chains of one countermeasure: its sets, action and which exist. */
  static String shapeKey(
      long id,
      io.bulwark.rules.spi.Action action,
      boolean v4Empty,
      boolean v6Empty,
      java.util.function.Predicate<Protocol> portsEmpty) {
    StringBuilder key = new StringBuilder(IpsetContents.stem(id)).append(action);
    key.append(v4Empty).append(v6Empty);
    for (Protocol protocol : Protocol.values()) {
      key.append(portsEmpty.test(protocol));
    }
    return key.toString();
  }
}
