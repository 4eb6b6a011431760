package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.ComparisonJoin;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import io.bulwark.rules.stix.pattern.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Parses what is inside an observation's brackets for {@link PatternParser}. */
final class ComparisonParser {

  private static final String OPERATORS =
      "a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)";

  private ComparisonParser() {}

  static ComparisonExpression comparisonOr(PatternParser parser) {
    ComparisonExpression left = comparisonAnd(parser);
    while (parser.peek().isKeyword("OR")) {
      parser.countOperator(parser.take());
      left = new ComparisonJoin(Connective.OR, left, comparisonAnd(parser));
    }
    return left;
  }

  private static ComparisonExpression comparisonAnd(PatternParser parser) {
    ComparisonExpression left = test(parser);
    while (parser.peek().isKeyword("AND")) {
      parser.countOperator(parser.take());
      left = new ComparisonJoin(Connective.AND, left, test(parser));
    }
    return left;
  }

  private static ComparisonExpression test(PatternParser parser) {
    Token first = parser.peek();
    if (first.is(Kind.LEFT_PAREN)) {
      parser.take();
      parser.enter(first);
      ComparisonExpression inner = comparisonOr(parser);
      parser.expect(Kind.RIGHT_PAREN, "')' or 'AND'/'OR'");
      parser.leave();
      return inner;
    }
    if (first.isKeyword("EXISTS")) {
      parser.take();
      return new ComparisonExpression.Exists(PathParser.objectPath(parser));
    }
    ObjectPath path = PathParser.objectPath(parser);
    boolean negated = parser.peek().isKeyword("NOT");
    if (negated) {
      parser.take();
    }
    Token op = parser.take();
    Operator operator = operator(op);
    Token valueToken = parser.peek();
    Literal value;
    if (operator == Operator.IN) {
      value = set(parser);
    } else if (operator.takesString()) {
      value =
          new Literal.StringLiteral(
              parser.expect(Kind.STRING, "a string after " + op.text()).text());
    } else {
      value = literal(parser.take(), operator.isOrdering());
    }
    Comparison comparison = new Comparison(path, operator, value);
    if (parser.strict()) {
      ValueChecks.check(comparison, valueToken.position());
    }
    return negated ? new ComparisonExpression.NegatedComparison(comparison) : comparison;
  }

  private static Operator operator(Token token) {
    return switch (token.kind()) {
      case EQUALS -> Operator.EQUAL;
      case NOT_EQUALS -> Operator.NOT_EQUAL;
      case LESS -> Operator.LESS_THAN;
      case LESS_OR_EQUAL -> Operator.LESS_THAN_OR_EQUAL;
      case GREATER -> Operator.GREATER_THAN;
      case GREATER_OR_EQUAL -> Operator.GREATER_THAN_OR_EQUAL;
      case IDENTIFIER ->
          switch (token.text()) {
            case "IN" -> Operator.IN;
            case "LIKE" -> Operator.LIKE;
            case "MATCHES" -> Operator.MATCHES;
            case "ISSUBSET" -> Operator.IS_SUBSET;
            case "ISSUPERSET" -> Operator.IS_SUPERSET;
            default -> throw PatternParser.expected(OPERATORS, token);
          };
      default -> throw PatternParser.expected(OPERATORS, token);
    };
  }

  private static Literal set(PatternParser parser) {
    parser.expect(Kind.LEFT_PAREN, "'(' to start the set after IN");
    List<Literal> elements = new ArrayList<>();
    if (parser.peek().is(Kind.RIGHT_PAREN)) {
      parser.take();
      return new Literal.SetLiteral(elements);
    }
    elements.add(literal(parser.take(), false));
    while (parser.peek().is(Kind.COMMA)) {
      parser.take();
      elements.add(literal(parser.take(), false));
    }
    parser.expect(Kind.RIGHT_PAREN, "',' or ')' in the set");
    return new Literal.SetLiteral(elements);
  }

  /** Turns one token into a constant; booleans are refused where an ordering needs an order. */
  private static Literal literal(Token token, boolean ordering) {
    switch (token.kind()) {
      case STRING:
        return new Literal.StringLiteral(token.text());
      case INTEGER:
        return new Literal.IntegerLiteral(integer(token));
      case FLOAT:
        double value = Double.parseDouble(token.text());
        if (!Double.isFinite(value)) {
          throw new PatternAbort(token.position(), "float out of range");
        }
        return new Literal.FloatLiteral(value);
      case TIMESTAMP:
        return new Literal.TimestampLiteral(token.text());
      case BINARY:
        return new Literal.BinaryLiteral(token.text());
      case HEX:
        return new Literal.HexLiteral(token.text());
      default:
        if (token.isKeyword("true") || token.isKeyword("false")) {
          if (ordering) {
            throw PatternParser.expected("an orderable constant (not a boolean)", token);
          }
          return new Literal.BooleanLiteral(token.text().equals("true"));
        }
        throw PatternParser.expected(
            "a constant (string, number, true, false, t'...', b'...' or h'...')", token);
    }
  }

  static long integer(Token token) {
    try {
      return Long.parseLong(token.text());
    } catch (NumberFormatException e) {
      throw new PatternAbort(token.position(), "integer out of range");
    }
  }
}
