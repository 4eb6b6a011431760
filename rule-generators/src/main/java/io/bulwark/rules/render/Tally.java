package io.bulwark.rules.render;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * A multiset of set elements (ports, names) kept in order: an element is in the rendered set while
 * at least one occurrence is held. Not thread-safe.
 *
 * @param <T> the element type, ordered as the target lists its elements
 */
public final class Tally<T extends Comparable<? super T>> {

  private final TreeMap<T, Integer> counts = new TreeMap<>();

  /** Returns how many occurrences of {@code element} are held. */
  public int count(T element) {
    return counts.getOrDefault(element, 0);
  }

  /** Hands every occurrence held to {@code action}, ascending. */
  public void forEachOccurrence(java.util.function.Consumer<? super T> action) {
    counts.forEach(
        (element, count) -> {
          for (int i = 0; i < count; i++) {
            action.accept(element);
          }
        });
  }

  /** Returns how many distinct elements are held. */
  public int size() {
    return counts.size();
  }

  /** Returns true when no element is held. */
  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Returns the distinct elements held, ascending, as a live view. */
  public NavigableSet<T> elements() {
    return counts.navigableKeySet();
  }

  /** Adds one occurrence of each of {@code elements}, for building a tally. */
  public void addAll(Iterable<T> elements) {
    for (T element : elements) {
      counts.merge(element, 1, Integer::sum);
    }
  }

  /**
   * Removes one occurrence of each of {@code removed} and adds one of each of {@code added}.
   *
   * @param removed occurrences the caller has checked are held
   * @param added occurrences to add
   * @return the elements that left and joined the set
   */
  public ElementChange<T> apply(List<T> removed, List<T> added) {
    TreeMap<T, Boolean> before = new TreeMap<>();
    for (T element : removed) {
      before.putIfAbsent(element, counts.containsKey(element));
    }
    for (T element : added) {
      before.putIfAbsent(element, counts.containsKey(element));
    }
    for (T element : removed) {
      int count = counts.get(element);
      if (count == 1) {
        counts.remove(element);
      } else {
        counts.put(element, count - 1);
      }
    }
    addAll(added);
    List<T> gone = new ArrayList<>();
    List<T> came = new ArrayList<>();
    before.forEach(
        (element, held) -> {
          boolean holds = counts.containsKey(element);
          if (held && !holds) {
            gone.add(element);
          } else if (!held && holds) {
            came.add(element);
          }
        });
    return new ElementChange<>(gone, came);
  }
}
