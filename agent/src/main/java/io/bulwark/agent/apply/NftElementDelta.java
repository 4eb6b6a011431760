package io.bulwark.agent.apply;

import java.util.Arrays;
import java.util.List;

/**
 * The element changes that turn one applied table into another with the same skeleton (see {@link
 * NftElementLists}), as one {@code nft -f} transaction: every {@code delete element} first, so
 * that an added interval never collides with one on its way out, then every {@code add element}.
 * nft runs the file as one transaction: a delete of an element that is not there (someone removed
 * it by hand) fails the whole file and changes nothing, and the caller then replaces the table.
 *
 * <p>Elements are compared by a 64-bit hash of their text, held in sorted arrays (8 bytes per
 * element, kept with the rules so that the next delta hashes only the new ones), no per-element
 * objects, and strings only for the elements that change. Two different elements of one set with the same hash (odds about
 * n&sup2;/2<sup>65</sup>, some 10<sup>-8</sup> for a million) would hide one change until the
 * table is next replaced. Pure and thread-safe.
 */
final class NftElementDelta {

  /**
   * The transaction and its size.
   *
   * @param script the {@code nft -f} text; empty when nothing changes
   */
  record Change(String script, int added, int deleted) {}

  private NftElementDelta() {}

  /**
   * The change from {@code from} to {@code to}, or null when only a replacement of the table will
   * do: their skeletons differ, an interval set changes (see {@link NftablesApplier}), or more than
   * {@code maxChanged} elements change.
   */
  static Change between(NftElementLists from, NftElementLists to, long maxChanged) {
    if (!from.skeleton().equals(to.skeleton())) {
      return null;
    }
    StringBuilder deletes = new StringBuilder();
    StringBuilder adds = new StringBuilder();
    int added = 0;
    int deleted = 0;
    long changed = 0;
    for (int i = 0; i < from.lists().size(); i++) {
      NftElementLists.ElementList before = from.lists().get(i);
      NftElementLists.ElementList after = to.lists().get(i);
      long[] beforeHashes = from.sortedHashes(i);
      long[] afterHashes = to.sortedHashes(i);
      long[][] only = onlyInEach(beforeHashes, afterHashes);
      changed += only[0].length + only[1].length;
      boolean differs = only[0].length + only[1].length > 0;
      if (changed > maxChanged || (differs && (before.interval() || after.interval()))) {
        return null;
      }
      List<String> gone = from.elementsWithHashIn(i, only[0]);
      List<String> fresh = to.elementsWithHashIn(i, only[1]);
      append(deletes, "delete", after.set(), gone);
      append(adds, "add", after.set(), fresh);
      deleted += gone.size();
      added += fresh.size();
    }
    return new Change(deletes.append(adds).toString(), added, deleted);
  }

  /** Appends one {@code add element} or {@code delete element} command; nothing for no elements. */
  static void append(StringBuilder out, String verb, String set, List<String> elements) {
    if (elements.isEmpty()) {
      return;
    }
    out.append(verb).append(" element inet bulwark ").append(set).append(" { ");
    for (int i = 0; i < elements.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(elements.get(i));
    }
    out.append(" }\n");
  }

  /** The hashes only in {@code a} and those only in {@code b}, both sorted, by one merge. */
  static long[][] onlyInEach(long[] a, long[] b) {
    long[] onlyA = new long[16];
    long[] onlyB = new long[16];
    int i = 0;
    int j = 0;
    int na = 0;
    int nb = 0;
    while (i < a.length || j < b.length) {
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        onlyA = push(onlyA, na++, a[i++]);
      } else if (i == a.length || b[j] < a[i]) {
        onlyB = push(onlyB, nb++, b[j++]);
      } else {
        i++;
        j++;
      }
    }
    return new long[][] {Arrays.copyOf(onlyA, na), Arrays.copyOf(onlyB, nb)};
  }

  private static long[] push(long[] array, int at, long value) {
    long[] target = at < array.length ? array : Arrays.copyOf(array, array.length * 2);
    target[at] = value;
    return target;
  }

  /** FNV-1a over the characters, then the 64-bit finaliser of MurmurHash3 to spread the bits. */
  static long hash(String text, int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
