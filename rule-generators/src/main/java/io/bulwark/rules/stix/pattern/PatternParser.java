package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.ComparisonJoin;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import io.bulwark.rules.stix.pattern.ObservationExpression.Observation;
import io.bulwark.rules.stix.pattern.ObservationExpression.ObservationJoin;
import io.bulwark.rules.stix.pattern.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the supported subset of the STIX 2.1 patterning language.
 *
 * <p>Supported: observations {@code [ ... ]} joined by AND and OR (AND binds tighter) with
 * parentheses; inside them comparisons joined by AND and OR with parentheses; {@code path =
 * 'string'}, {@code path = integer} and {@code path IN (literal, ...)}; any object path of the form
 * {@code type:property} followed by {@code .property}, {@code .'quoted'}, {@code [n]} and {@code
 * [*]} steps; string escapes {@code \'} and {@code \\}. Everything else in the grammar (qualifiers,
 * FOLLOWEDBY, NOT, EXISTS, LIKE, MATCHES, ordering operators, non-integer literals) is refused with
 * a "not supported yet" error rather than misread.
 *
 * <p>Thread-safe: each call parses independently. Never throws for bad input: the outcome is a
 * {@link PatternResult}. Input longer than {@link #MAX_LENGTH} characters or nested deeper than
 * {@link #MAX_DEPTH} levels is refused, so hostile patterns cannot exhaust memory or stack.
 */
public final class PatternParser {

  /** The longest pattern accepted, in characters. */
  public static final int MAX_LENGTH = 16 * 1024;

  /** The deepest nesting of brackets and parentheses accepted. */
  public static final int MAX_DEPTH = 64;

  private static final Set<String> UNSUPPORTED_OPERATORS =
      Set.of("NOT", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET");
  private static final Set<String> UNSUPPORTED_QUALIFIERS =
      Set.of("WITHIN", "REPEATS", "START", "STOP", "FOLLOWEDBY");

  private final List<Token> tokens;
  private int next;
  private int depth;

  private PatternParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /**
   * Parses {@code text}.
   *
   * @param text the pattern, may be null
   * @return the syntax tree, or the first error with its position
   */
  public static PatternResult parse(String text) {
    if (text == null) {
      return new PatternResult.Failed(new PatternError(0, "pattern is missing"));
    }
    if (text.length() > MAX_LENGTH) {
      return new PatternResult.Failed(
          new PatternError(MAX_LENGTH, "pattern is longer than " + MAX_LENGTH + " characters"));
    }
    try {
      PatternParser parser = new PatternParser(PatternLexer.tokenize(text));
      return new PatternResult.Parsed(new Pattern(parser.pattern()));
    } catch (PatternAbort e) {
      return new PatternResult.Failed(e.toError());
    }
  }

  private ObservationExpression pattern() {
    ObservationExpression expression = observationOr();
    Token token = peek();
    if (!token.is(Kind.END)) {
      rejectUnsupportedQualifier(token);
      throw expected("'AND', 'OR' or end of pattern", token);
    }
    return expression;
  }

  private ObservationExpression observationOr() {
    ObservationExpression left = observationAnd();
    while (peek().isKeyword("OR")) {
      next++;
      left = new ObservationJoin(Connective.OR, left, observationAnd());
    }
    return left;
  }

  private ObservationExpression observationAnd() {
    ObservationExpression left = observation();
    while (peek().isKeyword("AND")) {
      next++;
      left = new ObservationJoin(Connective.AND, left, observation());
    }
    return left;
  }

  private ObservationExpression observation() {
    Token open = take();
    ObservationExpression result;
    if (open.is(Kind.LEFT_BRACKET)) {
      enter(open);
      result = new Observation(comparisonOr());
      expect(Kind.RIGHT_BRACKET, "']'");
    } else if (open.is(Kind.LEFT_PAREN)) {
      enter(open);
      result = observationOr();
      expect(Kind.RIGHT_PAREN, "')'");
    } else {
      throw expected("'[' or '('", open);
    }
    depth--;
    rejectUnsupportedQualifier(peek());
    return result;
  }

  private ComparisonExpression comparisonOr() {
    ComparisonExpression left = comparisonAnd();
    while (peek().isKeyword("OR")) {
      next++;
      left = new ComparisonJoin(Connective.OR, left, comparisonAnd());
    }
    return left;
  }

  private ComparisonExpression comparisonAnd() {
    ComparisonExpression left = comparison();
    while (peek().isKeyword("AND")) {
      next++;
      left = new ComparisonJoin(Connective.AND, left, comparison());
    }
    return left;
  }

  private ComparisonExpression comparison() {
    Token first = peek();
    if (first.is(Kind.LEFT_PAREN)) {
      next++;
      enter(first);
      ComparisonExpression inner = comparisonOr();
      expect(Kind.RIGHT_PAREN, "')'");
      depth--;
      return inner;
    }
    if (first.isKeyword("EXISTS") || first.isKeyword("NOT")) {
      throw notSupported(first);
    }
    ObjectPath path = PathParser.objectPath(this);
    Token operator = take();
    if (operator.is(Kind.EQUALS)) {
      return new Comparison(path, Operator.EQUAL, primitiveLiteral());
    }
    if (operator.isKeyword("IN")) {
      return new Comparison(path, Operator.IN, setLiteral());
    }
    if (operator.is(Kind.OTHER_OPERATOR)
        || (operator.is(Kind.IDENTIFIER) && UNSUPPORTED_OPERATORS.contains(operator.text()))) {
      throw notSupported(operator);
    }
    throw expected("'=' or 'IN'", operator);
  }

  private Literal setLiteral() {
    expect(Kind.LEFT_PAREN, "'('");
    List<Literal> elements = new ArrayList<>();
    if (peek().is(Kind.RIGHT_PAREN)) {
      next++;
      return new Literal.SetLiteral(elements);
    }
    elements.add(primitiveLiteral());
    while (peek().is(Kind.COMMA)) {
      next++;
      elements.add(primitiveLiteral());
    }
    expect(Kind.RIGHT_PAREN, "',' or ')'");
    return new Literal.SetLiteral(elements);
  }

  private Literal primitiveLiteral() {
    Token token = take();
    switch (token.kind()) {
      case STRING:
        return new Literal.StringLiteral(token.text());
      case INTEGER:
        try {
          return new Literal.IntegerLiteral(Long.parseLong(token.text()));
        } catch (NumberFormatException e) {
          throw new PatternAbort(token.position(), "integer out of range");
        }
      case UNSUPPORTED_LITERAL:
        throw notSupported(token);
      default:
        if (token.isKeyword("true") || token.isKeyword("false")) {
          throw new PatternAbort(token.position(), "boolean literals are not supported yet");
        }
        throw expected("a string or an integer", token);
    }
  }

  private void rejectUnsupportedQualifier(Token token) {
    if (token.is(Kind.IDENTIFIER) && UNSUPPORTED_QUALIFIERS.contains(token.text())) {
      throw notSupported(token);
    }
  }

  private void enter(Token opening) {
    if (++depth > MAX_DEPTH) {
      throw new PatternAbort(opening.position(), "nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  Token peek() {
    return tokens.get(next);
  }

  Token take() {
    Token token = tokens.get(next);
    if (!token.is(Kind.END)) {
      next++;
    }
    return token;
  }

  Token expect(Kind kind, String description) {
    Token token = take();
    if (!token.is(kind)) {
      throw expected(description, token);
    }
    return token;
  }

  static PatternAbort expected(String description, Token found) {
    return new PatternAbort(
        found.position(), "expected " + description + " but found " + found.describe());
  }

  private static PatternAbort notSupported(Token token) {
    String what =
        token.is(Kind.UNSUPPORTED_LITERAL) ? token.text() + "s are" : token.describe() + " is";
    return new PatternAbort(token.position(), what + " not supported yet");
  }
}
