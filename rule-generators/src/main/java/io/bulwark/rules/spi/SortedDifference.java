package io.bulwark.rules.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/** Set difference of two sorted collections in one merge walk, for rendering deltas. */
public final class SortedDifference {

  private SortedDifference() {}

  /**
   * Returns the elements of {@code mine} that are not in {@code theirs}, in order.
   *
   * @param mine distinct elements in ascending natural order, never null
   * @param theirs distinct elements in ascending natural order, never null
   * @param <T> the element type
   * @return a new list; linear in the sizes of both, without hashing
   */
  public static <T extends Comparable<? super T>> List<T> onlyIn(
      Collection<T> mine, Collection<T> theirs) {
    List<T> only = new ArrayList<>();
    Iterator<T> other = theirs.iterator();
    T next = other.hasNext() ? other.next() : null;
    for (T element : mine) {
      int order = -1;
      while (next != null && (order = element.compareTo(next)) > 0) {
        next = other.hasNext() ? other.next() : null;
      }
      if (next == null || order != 0) {
        only.add(element);
      }
    }
    return only;
  }
}
