package io.bulwark.rules.stix.pattern;

import java.util.Objects;

/**
 * A parsed STIX 2.1 pattern: the root of the syntax tree built by {@link PatternParser}.
 *
 * <p>Every node is an immutable record, equal by value. {@link #toString()} prints the pattern back
 * in STIX syntax with single spaces and just the parentheses the tree needs, so parsing the printed
 * text yields an equal tree. The printed text can be longer than the source (spacing is added), so
 * for a source close to {@link PatternParser#MAX_LENGTH} it may exceed that limit.
 *
 * @param expression the observation expression, never null
 */
public record Pattern(ObservationExpression expression) {

  public Pattern {
    Objects.requireNonNull(expression, "expression");
  }

  @Override
  public String toString() {
    return expression.toString();
  }
}
