package io.bulwark.controller.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits the values of an {@code IN (...)} list into chunks. H2 checks each row a query finds
 * against every bound value of such a list, one after the other, so a query with thousands of ids
 * costs their number squared; chunks of a few hundred keep it linear, on PostgreSQL too.
 */
public final class Chunks {
  /** The values one {@code IN (...)} list holds at most. */
  public static final int SIZE = 500;

  private Chunks() {}

  /** The values in order, {@link #SIZE} at a time; none for no values. */
  public static <T> List<List<T>> of(Collection<T> values) {
    List<T> all = List.copyOf(values);
    List<List<T>> out = new ArrayList<>((all.size() + SIZE - 1) / SIZE);
    for (int from = 0; from < all.size(); from += SIZE) {
      out.add(all.subList(from, Math.min(all.size(), from + SIZE)));
    }
    return out;
  }
}
