package io.bulwark.rules.stix.pattern;

import java.util.Objects;

/**
 * What a pattern says must be observed: bracketed comparisons joined by {@link Connective}s.
 *
 * <p>The subset supported today has observations and AND/OR joins. Qualifiers ({@code WITHIN},
 * {@code REPEATS}, {@code START ... STOP}) and {@code FOLLOWEDBY} will be added as further records;
 * code that walks this tree must treat an unknown node as something it cannot handle rather than
 * assume these two are all there is.
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
   * Two observation expressions joined by AND or OR.
   *
   * @param connective how the operands combine, never null
   * @param left the left operand, never null
   * @param right the right operand, never null
   */
  record ObservationJoin(
      Connective connective, ObservationExpression left, ObservationExpression right)
      implements ObservationExpression {
    public ObservationJoin {
      Objects.requireNonNull(connective, "connective");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
      return operand(left, false) + " " + connective + " " + operand(right, true);
    }

    private String operand(ObservationExpression operand, boolean rightSide) {
      if (operand instanceof ObservationJoin join
          && (join.connective().compareTo(connective) > 0
              || (rightSide && join.connective() == connective))) {
        return "(" + operand + ")";
      }
      return operand.toString();
    }
  }
}
