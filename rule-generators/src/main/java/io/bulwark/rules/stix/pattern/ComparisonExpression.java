package io.bulwark.rules.stix.pattern;

import java.util.Objects;

/**
 * The condition inside one observation's brackets: comparisons, negated comparisons and {@code
 * EXISTS} tests joined by {@link Connective#AND} and {@link Connective#OR}.
 *
 * <p>The hierarchy covers STIX 2.1, but walkers should still treat an unknown node as something
 * they cannot handle.
 */
public sealed interface ComparisonExpression {

  /** The comparison operators of STIX 2.1. */
  enum Operator {
    /** {@code path = literal} (also written {@code ==}). */
    EQUAL("="),
    /** {@code path IN (literal, ...)}; the value is a {@link Literal.SetLiteral}. */
    IN("IN"),
    /** {@code path != literal} (also written {@code <>}). */
    NOT_EQUAL("!="),
    /** {@code path < literal}. */
    LESS_THAN("<"),
    /** {@code path <= literal}. */
    LESS_THAN_OR_EQUAL("<="),
    /** {@code path > literal}. */
    GREATER_THAN(">"),
    /** {@code path >= literal}. */
    GREATER_THAN_OR_EQUAL(">="),
    /** {@code path LIKE 'pattern'}, SQL LIKE with {@code %} and {@code _}. */
    LIKE("LIKE"),
    /** {@code path MATCHES 'regex'}, a PCRE regular expression. */
    MATCHES("MATCHES"),
    /** {@code path ISSUBSET 'cidr'}: the address is within the subnet. */
    IS_SUBSET("ISSUBSET"),
    /** {@code path ISSUPERSET 'cidr'}: the subnet contains the given one. */
    IS_SUPERSET("ISSUPERSET");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** Returns the operator as written in a pattern. */
    public String symbol() {
      return symbol;
    }

    /**
     * True for the operators whose right side must be a string: LIKE, MATCHES, ISSUBSET,
     * ISSUPERSET.
     */
    public boolean takesString() {
      return this == LIKE || this == MATCHES || this == IS_SUBSET || this == IS_SUPERSET;
    }

    /** True for {@code <}, {@code <=}, {@code >} and {@code >=}. */
    public boolean isOrdering() {
      return this == LESS_THAN
          || this == LESS_THAN_OR_EQUAL
          || this == GREATER_THAN
          || this == GREATER_THAN_OR_EQUAL;
    }
  }

  /**
   * One comparison of an object property with a literal.
   *
   * @param path the property compared, never null
   * @param operator the operator, never null
   * @param value the literal; a {@link Literal.SetLiteral} exactly when the operator is IN, a
   *     {@link Literal.StringLiteral} when {@link Operator#takesString()}, never a {@link
   *     Literal.BooleanLiteral} for an ordering operator
   */
  record Comparison(ObjectPath path, Operator operator, Literal value)
      implements ComparisonExpression {
    public Comparison {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(value, "value");
      if ((operator == Operator.IN) != (value instanceof Literal.SetLiteral)) {
        throw new IllegalArgumentException("IN takes a set literal, and only IN does");
      }
      if (operator.takesString() && !(value instanceof Literal.StringLiteral)) {
        throw new IllegalArgumentException(operator.symbol() + " takes a string");
      }
      if (operator.isOrdering() && value instanceof Literal.BooleanLiteral) {
        throw new IllegalArgumentException(operator.symbol() + " cannot take a boolean");
      }
    }

    @Override
    public String toString() {
      return path + " " + operator.symbol() + " " + value;
    }
  }

  /**
   * A comparison that must not hold: {@code path NOT operator literal}.
   *
   * @param comparison the comparison negated, never null
   */
  record NegatedComparison(Comparison comparison) implements ComparisonExpression {
    public NegatedComparison {
      Objects.requireNonNull(comparison, "comparison");
    }

    @Override
    public String toString() {
      return comparison.path()
          + " NOT "
          + comparison.operator().symbol()
          + " "
          + comparison.value();
    }
  }

  /**
   * {@code EXISTS path}: the property is present.
   *
   * @param path the property, never null
   */
  record Exists(ObjectPath path) implements ComparisonExpression {
    public Exists {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "EXISTS " + path;
    }
  }

  /**
   * Two comparison expressions joined by AND or OR.
   *
   * @param connective how the operands combine: AND or OR, never null
   * @param left the left operand, never null
   * @param right the right operand, never null
   */
  record ComparisonJoin(
      Connective connective, ComparisonExpression left, ComparisonExpression right)
      implements ComparisonExpression, JoinChains.Join<ComparisonExpression> {
    public ComparisonJoin {
      Objects.requireNonNull(connective, "connective");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
      if (connective == Connective.FOLLOWEDBY) {
        throw new IllegalArgumentException("FOLLOWEDBY joins observations, not comparisons");
      }
    }

    @Override
    public String toString() {
      return JoinChains.print(this, ComparisonJoin.class);
    }

    @Override
    public boolean equals(Object other) {
      return JoinChains.equal(this, other, ComparisonJoin.class);
    }

    @Override
    public int hashCode() {
      return JoinChains.hash(this, ComparisonJoin.class, 3);
    }
  }
}
