package io.bulwark.rules.render;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A multiset of prefixes of one family that knows its normalised form ({@link
 * IpPrefixes#normalise}): a prefix is an element of the rendered set while it is held and no other
 * prefix held contains it.
 *
 * <p>A change of k prefixes costs O(k log n) plus the prefixes held inside the changed ones, since
 * only those can enter or leave the normalised form: a million held prefixes are neither sorted nor
 * walked again. Not thread-safe.
 */
public final class PrefixTally {

  private final IpPrefix.Family family;
  private final TreeMap<IpPrefix, Integer> counts = new TreeMap<>();

  /** How many prefixes the normalised form holds, or -1 until it is first asked for. */
  private int size = -1;

  /** Distinct prefixes held per length, so containment checks only try lengths in use. */
  private final int[] lengths;

  /** A tally of {@code family} holding nothing. */
  public PrefixTally(IpPrefix.Family family) {
    this.family = family;
    this.lengths = new int[family.bits() + 1];
  }

  /** Returns the family of the prefixes held. */
  public IpPrefix.Family family() {
    return family;
  }

  /** Returns how many occurrences of {@code prefix} are held. */
  public int count(IpPrefix prefix) {
    return counts.getOrDefault(prefix, 0);
  }

  /** Hands every occurrence held to {@code action}, ascending. */
  public void forEachOccurrence(java.util.function.Consumer<? super IpPrefix> action) {
    counts.forEach(
        (element, count) -> {
          for (int i = 0; i < count; i++) {
            action.accept(element);
          }
        });
  }

  /** Returns true when no prefix is held, which is when the normalised form is empty. */
  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /**
   * Adds one occurrence of each of {@code prefixes}, for building a tally.
   *
   * @throws IllegalArgumentException for a prefix of the other family
   */
  public void addAll(Collection<IpPrefix> prefixes) {
    size = -1;
    if (counts.isEmpty() && prefixes.size() > 1) {
      build(prefixes);
      return;
    }
    for (IpPrefix prefix : prefixes) {
      add(prefix);
    }
  }

  /** Fills the empty tally in linear time from the sorted prefixes, instead of n insertions. */
  private void build(Collection<IpPrefix> prefixes) {
    for (IpPrefix prefix : prefixes) {
      if (prefix.family() != family) {
        throw new IllegalArgumentException(prefix + " is not of family " + family);
      }
    }
    List<Map.Entry<IpPrefix, Integer>> entries = new ArrayList<>(prefixes.size());
    if (family == IpPrefix.Family.V4) {
      // As in IpPrefixes.normalise: address above length sorts like compareTo, without objects.
      long[] keys = new long[prefixes.size()];
      int n = 0;
      for (IpPrefix prefix : prefixes) {
        keys[n++] = (prefix.low() << 8) | prefix.length();
      }
      Arrays.sort(keys);
      for (int i = 0; i < n; ) {
        int end = i + 1;
        while (end < n && keys[end] == keys[i]) {
          end++;
        }
        int length = (int) (keys[i] & 0xFF);
        entries.add(Map.entry(new IpPrefix(family, 0, keys[i] >>> 8, length), end - i));
        lengths[length]++;
        i = end;
      }
    } else {
      IpPrefix[] sorted = prefixes.toArray(new IpPrefix[0]);
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; ) {
        int end = i + 1;
        while (end < sorted.length && sorted[end].equals(sorted[i])) {
          end++;
        }
        entries.add(Map.entry(sorted[i], end - i));
        lengths[sorted[i].length()]++;
        i = end;
      }
    }
    // TreeMap copies a sorted map of the same order by building the tree directly.
    counts.putAll(new SortedEntries(entries));
  }

  /** Just enough of a sorted map over ascending entries for TreeMap's linear-time copy. */
  private static final class SortedEntries extends AbstractMap<IpPrefix, Integer>
      implements SortedMap<IpPrefix, Integer> {

    private final List<Map.Entry<IpPrefix, Integer>> entries;

    SortedEntries(List<Map.Entry<IpPrefix, Integer>> entries) {
      this.entries = entries;
    }

    @Override
    public Set<Map.Entry<IpPrefix, Integer>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<IpPrefix, Integer>> iterator() {
          return entries.iterator();
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }

    @Override
    public Comparator<? super IpPrefix> comparator() {
      return null;
    }

    @Override
    public SortedMap<IpPrefix, Integer> subMap(IpPrefix from, IpPrefix to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<IpPrefix, Integer> headMap(IpPrefix to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<IpPrefix, Integer> tailMap(IpPrefix from) {
      throw new UnsupportedOperationException();
    }

    @Override
    public IpPrefix firstKey() {
      return entries.get(0).getKey();
    }

    @Override
    public IpPrefix lastKey() {
      return entries.get(entries.size() - 1).getKey();
    }
  }

  /** Returns how many elements the normalised form holds (one walk the first time). */
  public int size() {
    if (size < 0) {
      size = normalised().size();
    }
    return size;
  }

  /** Returns the normalised form, ascending, in one walk of the prefixes held. */
  public List<IpPrefix> normalised() {
    List<IpPrefix> kept = new ArrayList<>();
    IpPrefix last = null;
    // Ascending order puts every prefix after those containing it (see IpPrefixes.normalise).
    for (IpPrefix prefix : counts.keySet()) {
      if (last == null || !last.contains(prefix)) {
        kept.add(prefix);
        last = prefix;
      }
    }
    return kept;
  }

  /**
   * Removes one occurrence of each of {@code removed} and adds one of each of {@code added}.
   *
   * @param removed occurrences the caller has checked are held
   * @param added occurrences to add, of this tally's family
   * @return the elements that left and joined the normalised form
   */
  public ElementChange<IpPrefix> apply(List<IpPrefix> removed, List<IpPrefix> added) {
    // Only a changed prefix and the prefixes inside it can change whether they are elements.
    TreeMap<IpPrefix, Boolean> before = new TreeMap<>();
    for (List<IpPrefix> changed : List.of(removed, added)) {
      for (IpPrefix prefix : changed) {
        if (before.containsKey(prefix)) {
          continue;
        }
        before.put(prefix, isElement(prefix));
        if (!prefix.isSingleAddress()) {
          for (IpPrefix inside :
              counts.subMap(prefix, false, prefix.lastAddress(), true).keySet()) {
            before.putIfAbsent(inside, isElement(inside));
          }
        }
      }
    }
    for (IpPrefix prefix : removed) {
      int count = counts.get(prefix);
      if (count == 1) {
        counts.remove(prefix);
        lengths[prefix.length()]--;
      } else {
        counts.put(prefix, count - 1);
      }
    }
    int known = size;
    addAll(added);
    size = known;
    List<IpPrefix> gone = new ArrayList<>();
    List<IpPrefix> came = new ArrayList<>();
    before.forEach(
        (prefix, was) -> {
          boolean is = isElement(prefix);
          if (was && !is) {
            gone.add(prefix);
          } else if (!was && is) {
            came.add(prefix);
          }
        });
    if (size >= 0) {
      size += came.size() - gone.size();
    }
    return new ElementChange<>(gone, came);
  }

  private void add(IpPrefix prefix) {
    if (prefix.family() != family) {
      throw new IllegalArgumentException(prefix + " is not of family " + family);
    }
    if (counts.merge(prefix, 1, Integer::sum) == 1) {
      lengths[prefix.length()]++;
    }
  }

  private boolean isElement(IpPrefix prefix) {
    if (!counts.containsKey(prefix)) {
      return false;
    }
    for (int length = 0; length < prefix.length(); length++) {
      if (lengths[length] > 0 && counts.containsKey(prefix.widen(length))) {
        return false;
      }
    }
    return true;
  }
}
