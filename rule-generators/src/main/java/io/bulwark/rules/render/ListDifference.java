package io.bulwark.rules.render;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The difference of two lists of rendered entries in the order of the first, for deltas between
 * device configurations whose entries are in address or evaluation order rather than sorted.
 */
public final class ListDifference {

  private ListDifference() {}

  /**
   * Returns the entries of {@code left} not in {@code right}, in the order of {@code left}.
   *
   * @param left the entries, or null for none
   * @param right the entries to leave out, or null for none
   * @return a new list
   */
  public static List<String> minus(List<String> left, List<String> right) {
    if (left == null) {
      return List.of();
    }
    Set<String> exclude = right == null ? Set.of() : new HashSet<>(right);
    List<String> result = new ArrayList<>();
    for (String entry : left) {
      if (!exclude.contains(entry)) {
        result.add(entry);
      }
    }
    return result;
  }
}
