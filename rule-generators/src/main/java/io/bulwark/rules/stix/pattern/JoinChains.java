package io.bulwark.rules.stix.pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Printing, equality and hashing of chains of joins, shared by {@link
 * ComparisonExpression.ComparisonJoin} and {@link ObservationExpression.ObservationJoin}. The
 * parser builds chains left-deep ({@code a AND b AND c} is {@code (a AND b) AND c}), so each
 * method walks the left spine in a loop: long chains need no deep stack.
 */
final class JoinChains {

  /** A join of two expressions of type {@code E}. */
  interface Join<E> {
    Connective connective();

    E left();

    E right();
  }

  private JoinChains() {}

  /**
   * Prints {@code top}, with parentheses exactly where the precedence of the connectives (lowest
   * ordinal binds tightest) or a right-nested join of the same connective needs them.
   */
  static <J extends Join<?>> String print(J top, Class<J> type) {
    List<J> spine = new ArrayList<>();
    Object leftmost = top;
    while (type.isInstance(leftmost)) {
      J join = type.cast(leftmost);
      spine.add(join);
      leftmost = join.left();
    }
    StringBuilder text = new StringBuilder(leftmost.toString());
    for (int i = spine.size() - 1; i >= 0; i--) {
      J join = spine.get(i);
      // The text so far is this join's left operand; a looser join there needs parentheses.
      if (i < spine.size() - 1 && spine.get(i + 1).connective().compareTo(join.connective()) > 0) {
        text.insert(0, '(').append(')');
      }
      text.append(' ').append(join.connective()).append(' ');
      Object right = join.right();
      if (type.isInstance(right)
          && type.cast(right).connective().compareTo(join.connective()) >= 0) {
        text.append('(').append(right).append(')');
      } else {
        text.append(right);
      }
    }
    return text.toString();
  }

  /** Whether {@code top} and {@code other} are equal joins of equal operands, spine by spine. */
  static <J extends Join<?>> boolean equal(J top, Object other, Class<J> type) {
    Object a = top;
    Object b = other;
    while (type.isInstance(a) && type.isInstance(b)) {
      J x = type.cast(a);
      J y = type.cast(b);
      if (x == y) {
        return true;
      }
      if (x.connective() != y.connective() || !x.right().equals(y.right())) {
        return false;
      }
      a = x.left();
      b = y.left();
    }
    return !type.isInstance(a) && !type.isInstance(b) && a.equals(b);
  }

  /** A hash of {@code top} consistent with {@link #equal}, starting from {@code seed}. */
  static <J extends Join<?>> int hash(J top, Class<J> type, int seed) {
    int hash = seed;
    Object e = top;
    while (type.isInstance(e)) {
      J join = type.cast(e);
      hash = hash * 31 + join.connective().ordinal() * 17 + join.right().hashCode();
      e = join.left();
    }
    return hash * 31 + e.hashCode();
  }
}
