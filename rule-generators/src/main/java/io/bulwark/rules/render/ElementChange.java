package io.bulwark.rules.render;

import java.util.List;

/**
 * The elements that leave and join one set of a rendered rule set between two generations.
 *
 * @param gone elements held before and not after, ascending
 * @param came elements held after and not before, ascending
 * @param <T> the element type
 */
public record ElementChange<T>(List<T> gone, List<T> came) {

  public ElementChange {
    gone = List.copyOf(gone);
    came = List.copyOf(came);
  }

  /** Returns true when the set is the same before and after. */
  public boolean isEmpty() {
    return gone.isEmpty() && came.isEmpty();
  }
}
