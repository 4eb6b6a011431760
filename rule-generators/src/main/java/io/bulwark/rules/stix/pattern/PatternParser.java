package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.SpecVersion;
import io.bulwark.rules.stix.pattern.ObservationExpression.Observation;
import io.bulwark.rules.stix.pattern.ObservationExpression.ObservationJoin;
import io.bulwark.rules.stix.pattern.ObservationExpression.Qualified;
import io.bulwark.rules.stix.pattern.Token.Kind;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the complete STIX 2.1 patterning language (STIX 2.1 section 9) and applies the semantic
 * checks of the OASIS reference validator.
 *
 * <p>Grammar: observation expressions joined by FOLLOWEDBY, OR and AND (loosest to tightest, all
 * left-associative) with parentheses; each observation {@code [ ... ]} or parenthesised group may
 * carry qualifiers {@code WITHIN n SECONDS}, {@code REPEATS n TIMES} and {@code START t'..' STOP
 * t'..'}. Inside the brackets, comparisons joined by OR and AND with parentheses: {@code path [NOT]
 * op literal} for {@code = == != <> < <= > >= IN LIKE MATCHES ISSUBSET ISSUPERSET}, and {@code
 * EXISTS path}. Constants: strings with {@code \'} and {@code \\} escapes, integers, floats, {@code
 * true}, {@code false}, {@code t'...'}, {@code b'...'}, {@code h'...'} and sets {@code (a, b)}.
 *
 * <p>Checks beyond the grammar, always: timestamps have the RFC 3339 UTC form with each field in
 * range; START is before STOP; two qualifiers of one type directly on a bracketed observation are
 * refused (see {@link ObservationExpression.Qualified}). {@link #parseStrict} adds the value checks
 * a valid STIX pattern must also pass: a value compared with {@code hashes.<algorithm>} has the
 * algorithm's form, and an {@code ipv4-addr:value} is a valid IPv4 address or CIDR. Intake uses
 * {@link #parseStrict}; {@link #parse} lets consumers such as the term extractor see and report bad
 * values themselves.
 *
 * <p>Thread-safe: each call parses independently. Never throws for bad input: the outcome is a
 * {@link PatternResult} whose error names the zero-based position and what was expected. Input
 * longer than {@link #MAX_LENGTH} characters, nested deeper than {@link #MAX_DEPTH} levels or with
 * more than {@link #MAX_OPERATORS} joins and qualifiers is refused, so hostile patterns cannot
 * exhaust memory or stack.
 *
 * <p>STIX 2.0 patterns ({@link SpecVersion#V2_0}) are read by the 2.0 grammar, which differs in
 * one rule: {@code START} and {@code STOP} take a string holding a timestamp, {@code START
 * '2016-06-01T00:00:00Z'}, and not {@code t'...'}. The tree is the same for both: the qualifier
 * holds a {@link Literal.TimestampLiteral} either way.
 */
public final class PatternParser {

  /** The longest pattern accepted, in characters. */
  public static final int MAX_LENGTH = 16 * 1024;

  /** The deepest nesting of brackets and parentheses accepted. */
  public static final int MAX_DEPTH = 64;

  /**
   * The most joins (AND, OR, FOLLOWEDBY) and qualifiers accepted in one pattern. Chains of them
   * nest in the tree, and code that walks it (printing, equality, term extraction) recurses, so
   * this bounds the stack those walks need; real patterns stay far below it.
   */
  public static final int MAX_OPERATORS = 1000;

  private final List<Token> tokens;
  private final boolean strict;
  private final SpecVersion version;
  private int next;
  private int depth;
  private int operators;

  private PatternParser(List<Token> tokens, boolean strict, SpecVersion version) {
    this.tokens = tokens;
    this.strict = strict;
    this.version = version;
  }

  /**
   * Parses {@code text} by the grammar and the structural checks, without the value checks.
   *
   * @param text the pattern, may be null
   * @return the syntax tree, or the first error with its position
   */
  public static PatternResult parse(String text) {
    return parse(text, false, SpecVersion.V2_1);
  }

  /** As {@link #parse(String)}, by the grammar of STIX {@code version}. */
  public static PatternResult parse(String text, SpecVersion version) {
    return parse(text, false, version);
  }

  /**
   * Parses {@code text} and applies the value checks too: the outcome is {@link
   * PatternResult.Parsed} exactly when the text is a valid STIX 2.1 pattern.
   *
   * @param text the pattern, may be null
   * @return the syntax tree, or the first error with its position
   */
  public static PatternResult parseStrict(String text) {
    return parse(text, true, SpecVersion.V2_1);
  }

  /** As {@link #parseStrict(String)}, by the grammar of STIX {@code version}. */
  public static PatternResult parseStrict(String text, SpecVersion version) {
    return parse(text, true, version);
  }

  private static PatternResult parse(String text, boolean strict, SpecVersion version) {
    if (text == null) {
      return new PatternResult.Failed(new PatternError(0, "pattern is missing"));
    }
    if (text.length() > MAX_LENGTH) {
      return new PatternResult.Failed(
          new PatternError(MAX_LENGTH, "pattern is longer than " + MAX_LENGTH + " characters"));
    }
    try {
      PatternParser parser = new PatternParser(PatternLexer.tokenize(text), strict, java.util.Objects.requireNonNull(version, "version"));
      return new PatternResult.Parsed(new Pattern(parser.pattern()));
    } catch (PatternAbort e) {
      return new PatternResult.Failed(e.toError());
    }
  }

  private ObservationExpression pattern() {
    ObservationExpression expression = followedBy();
    Token token = peek();
    if (!token.is(Kind.END)) {
      throw expected("'AND', 'OR', 'FOLLOWEDBY', a qualifier or end of pattern", token);
    }
    return expression;
  }

  private ObservationExpression followedBy() {
    ObservationExpression left = observationOr();
    while (peek().isKeyword("FOLLOWEDBY")) {
      countOperator(take());
      left = new ObservationJoin(Connective.FOLLOWEDBY, left, observationOr());
    }
    return left;
  }

  private ObservationExpression observationOr() {
    ObservationExpression left = observationAnd();
    while (peek().isKeyword("OR")) {
      countOperator(take());
      left = new ObservationJoin(Connective.OR, left, observationAnd());
    }
    return left;
  }

  private ObservationExpression observationAnd() {
    ObservationExpression left = qualified();
    while (peek().isKeyword("AND")) {
      countOperator(take());
      left = new ObservationJoin(Connective.AND, left, qualified());
    }
    return left;
  }

  /** An observation or a parenthesised group, then any qualifiers. */
  private ObservationExpression qualified() {
    Token open = take();
    ObservationExpression result;
    Set<String> seen = null;
    if (open.is(Kind.LEFT_BRACKET)) {
      enter(open);
      result = new Observation(ComparisonParser.comparisonOr(this));
      expect(Kind.RIGHT_BRACKET, "']' or 'AND'/'OR' after a comparison");
      // The reference validator refuses repeated qualifier types only on a bracketed observation.
      seen = new HashSet<>();
    } else if (open.is(Kind.LEFT_PAREN)) {
      enter(open);
      result = followedBy();
      expect(Kind.RIGHT_PAREN, "')' or 'AND'/'OR'/'FOLLOWEDBY'");
    } else {
      throw expected("'[' to start an observation, or '('", open);
    }
    depth--;
    for (Token word = peek(); isQualifierStart(word); word = peek()) {
      countOperator(word);
      Qualifier qualifier = qualifier();
      if (seen != null && !seen.add(qualifier.typeName())) {
        throw new PatternAbort(
            word.position(),
            "duplicate qualifier type encountered: "
                + qualifier.typeName()
                + " (an observation takes each qualifier once; parenthesise to qualify again)");
      }
      result = new Qualified(result, qualifier);
    }
    return result;
  }

  private static boolean isQualifierStart(Token token) {
    return token.isKeyword("WITHIN") || token.isKeyword("REPEATS") || token.isKeyword("START");
  }

  private Qualifier qualifier() {
    Token word = take();
    if (word.isKeyword("WITHIN")) {
      Token amount = take();
      if (!(amount.is(Kind.INTEGER) || amount.is(Kind.FLOAT)) || amount.text().startsWith("-")) {
        throw expected("a non-negative number of seconds", amount);
      }
      BigDecimal seconds = new BigDecimal(amount.text());
      expectKeyword("SECONDS");
      return new Qualifier.Within(seconds);
    }
    if (word.isKeyword("REPEATS")) {
      Token count = take();
      if (!count.is(Kind.INTEGER) || count.text().startsWith("-")) {
        throw expected("a non-negative integer", count);
      }
      long times = ComparisonParser.integer(count);
      expectKeyword("TIMES");
      return new Qualifier.Repeats(times);
    }
    Literal.TimestampLiteral start = timestamp("START");
    expectKeyword("STOP");
    Literal.TimestampLiteral stop = timestamp("STOP");
    if (start.compareTime(stop) >= 0) {
      throw new PatternAbort(word.position(), "START " + start + " is not before STOP " + stop);
    }
    return new Qualifier.StartStop(start, stop);
  }

  private Literal.TimestampLiteral timestamp(String after) {
    if (version == SpecVersion.V2_1) {
      return new Literal.TimestampLiteral(expect(Kind.TIMESTAMP, "a timestamp t'...' after " + after).text());
    }
    Token string = expect(Kind.STRING, "a timestamp string '...' after " + after + " (STIX 2.0)");
    if (Literals.timestampProblem(string.text()) != null) {
      throw new PatternAbort(string.position(), "expected a timestamp string 'YYYY-MM-DDTHH:MM:SS[.s]Z' after "
          + after + " (STIX 2.0) but found " + Literals.shorten(string.text()));
    }
    return new Literal.TimestampLiteral(string.text());
  }

  private void expectKeyword(String keyword) {
    Token token = take();
    if (!token.isKeyword(keyword)) {
      throw expected("'" + keyword + "'", token);
    }
  }

  /** True when value checks apply. */
  boolean strict() {
    return strict;
  }

  /** Counts a join or qualifier at {@code token}, refusing more than {@link #MAX_OPERATORS}. */
  void countOperator(Token token) {
    if (++operators > MAX_OPERATORS) {
      throw new PatternAbort(
          token.position(),
          "more than " + MAX_OPERATORS + " joins and qualifiers; split the pattern");
    }
  }

  void enter(Token opening) {
    if (++depth > MAX_DEPTH) {
      throw new PatternAbort(opening.position(), "nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  void leave() {
    depth--;
  }

  Token peek() {
    return tokens.get(next);
  }

  Token take() {
    Token token = tokens.get(next);
    if (!token.is(Kind.END) && !token.is(Kind.ERROR)) {
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
    if (found.is(Kind.ERROR)) {
      return new PatternAbort(found.position(), found.text());
    }
    return new PatternAbort(
        found.position(), "expected " + description + " but found " + found.describe());
  }
}
