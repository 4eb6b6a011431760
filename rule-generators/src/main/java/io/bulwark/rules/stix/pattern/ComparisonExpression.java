package io.bulwark.rules.stix.pattern;

import java.util.Objects;

/**
 * The condition inside one observation's brackets: comparisons joined by {@link Connective}s.
 *
 * <p>Like {@link ObservationExpression}, this hierarchy will grow ({@code EXISTS}, negation), so
 * walkers must handle unknown nodes as unsupported.
 */
public sealed interface ComparisonExpression {

  /** The comparison operators supported today; {@code !=}, {@code <}, LIKE and others will join. */
  enum Operator {
    /** {@code path = literal}. */
    EQUAL("="),
    /** {@code path IN (literal, ...)}; the value is a {@link Literal.SetLiteral}. */
    IN("IN");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** Returns the operator as written in a pattern. */
    public String symbol() {
      return symbol;
    }
  }

  /**
   * One comparison of an object property with a literal.
   *
   * @param path the property compared, never null
   * @param operator the operator, never null
   * @param value the literal; a {@link Literal.SetLiteral} exactly when the operator is IN
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
    }

    @Override
    public String toString() {
      return path + " " + operator.symbol() + " " + value;
    }
  }

  /**
   * Two comparison expressions joined by AND or OR.
   *
   * @param connective how the operands combine, never null
   * @param left the left operand, never null
   * @param right the right operand, never null
   */
  record ComparisonJoin(
      Connective connective, ComparisonExpression left, ComparisonExpression right)
      implements ComparisonExpression {
    public ComparisonJoin {
      Objects.requireNonNull(connective, "connective");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
      return operand(left, false) + " " + connective + " " + operand(right, true);
    }

    private String operand(ComparisonExpression operand, boolean rightSide) {
      if (operand instanceof ComparisonJoin join
          && (join.connective().compareTo(connective) > 0
              || (rightSide && join.connective() == connective))) {
        return "(" + operand + ")";
      }
      return operand.toString();
    }
  }
}
