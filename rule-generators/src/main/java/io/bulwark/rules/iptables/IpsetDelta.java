package io.bulwark.rules.iptables;

import io.bulwark.rules.spi.SortedDifference;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.List;

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
      StringBuilder key = new StringBuilder(set.stem()).append(set.countermeasure().action());
      key.append(set.v4().isEmpty()).append(set.v6().isEmpty());
      for (Protocol protocol : Protocol.values()) {
        key.append(set.ports(protocol).isEmpty());
      }
      shape.add(key.toString());
    }
    return shape;
  }
}
