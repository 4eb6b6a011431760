package io.bulwark.rules.stix.pattern;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a pattern says must be observed: bracketed comparisons joined by AND, OR and FOLLOWEDBY,
 * each optionally qualified with {@link Qualifier}s.
 *
 * <p>Parentheses are not nodes: {@code ([a] AND [b]) OR [c]} and its canonical text give the same
 * tree, and {@code toString()} adds just the parentheses the tree needs. The hierarchy covers STIX
 * 2.1, but code that walks it must still treat an unknown node as something it cannot handle.
 */
public sealed interface ObservationExpression {

  /**
   * One observation, {@code [ comparison ]}.
   *
   * @param comparison what the observed objects must satisfy, never null
   */
  record Observation(ComparisonExpression comparison) implements ObservationExpression {
    public Observation {
      Objects.requireNonNull(comparison, "comparison");
    }

    @Override
    public String toString() {
      return "[" + comparison + "]";
    }
  }

  /**
   * Two observation expressions joined by AND, OR or FOLLOWEDBY.
   *
   * @param connective how the operands combine, never null
   * @param left the left operand, never null
   * @param right the right operand, never null
   */
  record ObservationJoin(
      Connective connective, ObservationExpression left, ObservationExpression right)
      implements ObservationExpression, JoinChains.Join<ObservationExpression> {
    public ObservationJoin {
      Objects.requireNonNull(connective, "connective");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
      return JoinChains.print(this, ObservationJoin.class);
    }

    @Override
    public boolean equals(Object other) {
      return JoinChains.equal(this, other, ObservationJoin.class);
    }

    @Override
    public int hashCode() {
      return JoinChains.hash(this, ObservationJoin.class, 1);
    }
  }

  /**
   * An observation expression with one qualifier: {@code [a:b = 1] WITHIN 5 SECONDS}. A chain of
   * qualifiers nests, the first written innermost.
   *
   * <p>As in the reference validator, two qualifiers of one type directly on a bracketed
   * observation are refused, while {@code ([a:b = 1] REPEATS 2 TIMES) REPEATS 3 TIMES} is valid;
   * the canonical text therefore puts parentheses around a chain where a repeated type needs them.
   *
   * @param expression what is qualified, never null
   * @param qualifier the qualifier, never null
   */
  record Qualified(ObservationExpression expression, Qualifier qualifier)
      implements ObservationExpression {
    public Qualified {
      Objects.requireNonNull(expression, "expression");
      Objects.requireNonNull(qualifier, "qualifier");
    }

    /** Compares along the chain without recursing, so long chains need no deep stack. */
    @Override
    public boolean equals(Object other) {
      Object a = this;
      Object b = other;
      while (a instanceof Qualified x && b instanceof Qualified y) {
        if (x == y) {
          return true;
        }
        if (!x.qualifier.equals(y.qualifier)) {
          return false;
        }
        a = x.expression;
        b = y.expression;
      }
      return !(a instanceof Qualified) && !(b instanceof Qualified) && a.equals(b);
    }

    @Override
    public int hashCode() {
      int hash = 7;
      ObservationExpression e = this;
      while (e instanceof Qualified q) {
        hash = hash * 31 + q.qualifier.hashCode();
        e = q.expression;
      }
      return hash * 31 + e.hashCode();
    }

    @Override
    public String toString() {
      String inner = expression.toString();
      if (expression instanceof ObservationJoin || clashes()) {
        inner = "(" + inner + ")";
      }
      return inner + " " + qualifier;
    }

    private boolean clashes() {
      Set<String> open = openTypes(expression);
      return open != null && open.contains(qualifier.typeName());
    }

    /**
     * The qualifier types printed directly on a bracketed observation at the end of {@code e}'s
     * text, or null when the text does not end that way (a parenthesised group resets the check).
     */
    private static Set<String> openTypes(ObservationExpression e) {
      if (e instanceof Observation) {
        return new HashSet<>();
      }
      if (e instanceof Qualified q) {
        Set<String> inner = openTypes(q.expression());
        if (inner == null || inner.contains(q.qualifier().typeName())) {
          return null;
        }
        inner.add(q.qualifier().typeName());
        return inner;
      }
      return null;
    }
  }
}
