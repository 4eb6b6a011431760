package io.bulwark.agent.apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Size hints for large sets without intervals. Given {@code size N}, the kernel builds a set of a
 * fixed size (nft_hash) instead of one that grows by rehashing all its elements each time it
 * doubles (nft_rhash): loading a million addresses then takes nft 1.0.6 about 2.0 s instead of 3.3
 * s, most of the saving in the kernel. The hint is twice the next power of two of the element
 * count, so an element delta has room to grow the set (and one that ever fills it fails whole, and
 * the applier then replaces the table, with a larger hint). Sets below {@link #FROM} elements are
 * left as written: a fixed table costs kernel memory in proportion to its size, about 16 bytes per
 * element here. The rule set is changed only by this hint, before it is loaded and wherever it is
 * compared with the live table, so reading back the table finds exactly what was loaded. Pure.
 */
final class NftSetSizes {
  /** Sets with at least this many elements get a hint. */
  static final int FROM = 65_536;

  private NftSetSizes() {}

  /**
   * The lists of rules as they are loaded: with size hints in a table too large to compare element
   * by element ({@link NftablesApplier#FULL_COMPARE_LIMIT}), as written otherwise.
   */
  static NftElementLists loaded(NftElementLists lists) {
    if (lists == null || lists.elementCount() <= NftablesApplier.FULL_COMPARE_LIMIT) {
      return lists;
    }
    String hinted = hinted(lists.text(), lists);
    return hinted.equals(lists.text()) ? lists : NftElementLists.of(hinted);
  }

  /**
   * {@code rules} with a {@code size} line in each large set without intervals that has none.
   *
   * @param lists the element lists of {@code rules}, or null when they could not be indexed
   */
  static String hinted(String rules, NftElementLists lists) {
    if (lists == null) {
      return rules;
    }
    List<int[]> inserts = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (NftElementLists.ElementList list : lists.lists()) {
      if (list.interval() || list.count() < FROM) {
        continue;
      }
      String declaration = "\tset " + list.set() + " {\n\t\ttype ";
      int at = rules.lastIndexOf(declaration, list.start());
      int typeEnd = at < 0 ? -1 : rules.indexOf('\n', at + declaration.length());
      if (typeEnd < 0 || typeEnd > list.start() || rules.startsWith("\t\tsize ", typeEnd + 1)) {
        continue;
      }
      inserts.add(new int[] {typeEnd + 1, lines.size()});
      lines.add("\t\tsize " + size(list.count()) + "\n");
    }
    if (inserts.isEmpty()) {
      return rules;
    }
    inserts.sort(Comparator.comparingInt(i -> i[0]));
    StringBuilder out = new StringBuilder(rules.length() + 32 * inserts.size());
    int copied = 0;
    for (int[] insert : inserts) {
      out.append(rules, copied, insert[0]).append(lines.get(insert[1]));
      copied = insert[0];
    }
    return out.append(rules, copied, rules.length()).toString();
  }

  /** The hint a set without intervals of {@code count} elements gets: 0 (none) below {@link #FROM}. */
  static long hintFor(int count) {
    return count < FROM ? 0 : size(count);
  }

  /** Twice the next power of two of {@code count}. */
  static long size(int count) {
    return Long.highestOneBit(Math.max(1, count - 1)) << 2;
  }
}
