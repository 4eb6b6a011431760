package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.ComparisonJoin;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Exists;
import io.bulwark.rules.stix.pattern.ComparisonExpression.NegatedComparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import io.bulwark.rules.stix.pattern.ObservationExpression.Observation;
import io.bulwark.rules.stix.pattern.ObservationExpression.ObservationJoin;
import io.bulwark.rules.stix.pattern.ObservationExpression.Qualified;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Operators, NOT, EXISTS, FOLLOWEDBY, precedence, qualifiers, comments and the canonical text. */
class PatternQualifierTest {

  @ParameterizedTest
  @CsvSource({
    "=, EQUAL",
    "==, EQUAL",
    "!=, NOT_EQUAL",
    "<>, NOT_EQUAL",
    "<, LESS_THAN",
    "<=, LESS_THAN_OR_EQUAL",
    ">, GREATER_THAN",
    ">=, GREATER_THAN_OR_EQUAL"
  })
  void symbolOperator_isRead(String symbol, Operator operator) {
    Comparison comparison = comparison("[x:y " + symbol + " 1]");

    assertEquals(operator, comparison.operator());
  }

  @ParameterizedTest
  @CsvSource({"LIKE, LIKE", "MATCHES, MATCHES", "ISSUBSET, IS_SUBSET", "ISSUPERSET, IS_SUPERSET"})
  void wordOperator_takesAString(String word, Operator operator) {
    Comparison comparison = comparison("[x:y " + word + " 'v']");

    assertEquals(operator, comparison.operator());
    assertEquals(new Literal.StringLiteral("v"), comparison.value());
  }

  @Test
  void not_negatesTheComparison_andExistsTestsPresence() {
    Observation observation = observation("[x:y NOT LIKE 'a%' AND EXISTS x:z.w]");
    ComparisonJoin and = assertInstanceOf(ComparisonJoin.class, observation.comparison());

    NegatedComparison not = assertInstanceOf(NegatedComparison.class, and.left());
    assertEquals(Operator.LIKE, not.comparison().operator());
    assertEquals("x:z.w", assertInstanceOf(Exists.class, and.right()).path().toString());
  }

  @Test
  void followedBy_bindsLoosest_andAndBindsTightest() {
    ObservationJoin followed = join("[a:b = 1] AND [a:b = 2] FOLLOWEDBY [a:b = 3] OR [a:b = 4]");

    assertEquals(Connective.FOLLOWEDBY, followed.connective());
    assertEquals(
        Connective.AND, assertInstanceOf(ObservationJoin.class, followed.left()).connective());
    assertEquals(
        Connective.OR, assertInstanceOf(ObservationJoin.class, followed.right()).connective());
  }

  @Test
  void joins_areLeftAssociative() {
    ObservationJoin outer = join("[a:b = 1] FOLLOWEDBY [a:b = 2] FOLLOWEDBY [a:b = 3]");

    assertInstanceOf(ObservationJoin.class, outer.left());
    assertInstanceOf(Observation.class, outer.right());
  }

  @Test
  void qualifiers_chainInWrittenOrder_andBindTighterThanJoins() {
    ObservationJoin and = join("[a:b = 1] REPEATS 5 TIMES WITHIN 1.5 SECONDS AND [a:c = 2]");

    Qualified within = assertInstanceOf(Qualified.class, and.left());
    assertEquals(new Qualifier.Within(new BigDecimal("1.5")), within.qualifier());
    Qualified repeats = assertInstanceOf(Qualified.class, within.expression());
    assertEquals(new Qualifier.Repeats(5), repeats.qualifier());
    assertInstanceOf(Observation.class, repeats.expression());
  }

  @Test
  void qualifierOnGroup_qualifiesTheWholeGroup() {
    Pattern pattern = parsed("([a:b = 1] FOLLOWEDBY [a:c = 2]) WITHIN 300 SECONDS");

    Qualified qualified = assertInstanceOf(Qualified.class, pattern.expression());
    assertEquals(
        Connective.FOLLOWEDBY,
        assertInstanceOf(ObservationJoin.class, qualified.expression()).connective());
    assertEquals("([a:b = 1] FOLLOWEDBY [a:c = 2]) WITHIN 300 SECONDS", pattern.toString());
  }

  @Test
  void startStop_holdsBothTimes() {
    Qualified qualified =
        assertInstanceOf(
            Qualified.class,
            parsed("[a:b = 1] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T01:30:00.5Z'")
                .expression());

    assertEquals(
        new Qualifier.StartStop(
            new Literal.TimestampLiteral("2016-06-01T01:30:00Z"),
            new Literal.TimestampLiteral("2016-06-01T01:30:00.5Z")),
        qualified.qualifier());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [a:b = 1] START t'2016-06-01T02:00:00Z' STOP t'2016-06-01T01:00:00Z'      | 10 | START t'2016-06-01T02:00:00Z' is not before STOP t'2016-06-01T01:00:00Z'
          [a:b = 1] START t'2016-06-01T02:00:00.50Z' STOP t'2016-06-01T02:00:00.5Z' | 10 | START t'2016-06-01T02:00:00.50Z' is not before STOP t'2016-06-01T02:00:00.5Z'
          [a:b = 1] START '2016-06-01T02:00:00Z' STOP t'2016-06-01T03:00:00Z'       | 16 | expected a timestamp t'...' after START but found a string
          [a:b = 1] STOP t'2016-06-01T03:00:00Z'                                    | 10 | expected 'AND', 'OR', 'FOLLOWEDBY', a qualifier or end of pattern but found 'STOP'
          [a:b = 1] WITHIN 5 SECONDS REPEATS 2 TIMES WITHIN 6 SECONDS              | 43 | duplicate qualifier type encountered: WITHIN (an observation takes each qualifier once; parenthesise to qualify again)
          [a:b = 1] REPEATS 1.5 TIMES                                              | 18 | expected a non-negative integer but found '1.5'
          [a:b = 1] REPEATS 2                                                      | 19 | expected 'TIMES' but found end of pattern
          [a:b = 1] WITHIN 5 seconds                                               | 19 | expected 'SECONDS' but found 'seconds'
          """)
  void badQualifier_isRefusedWhereItGoesWrong(String text, int position, String message) {
    assertEquals(new PatternError(position, message), error(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "([a:b = 1] REPEATS 2 TIMES) REPEATS 3 TIMES",
        "([a:b = 1] WITHIN 1 SECONDS) WITHIN 2 SECONDS WITHIN 3 SECONDS",
        "[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS START t'2016-01-01T00:00:00Z' STOP"
            + " t'2016-01-02T00:00:00Z'",
        "([a:b = 1] AND [a:c = 2]) REPEATS 2 TIMES",
        "[a:b = 1] FOLLOWEDBY ([a:c = 2] OR [a:d = 3]) WITHIN 0 SECONDS",
        "[a:b NOT >= 1.5 AND a:c[-1] <= t'2016-01-01T00:00:00Z' OR a:'d e' NOT MATCHES '^x$']",
        "[a:b = 1] OR [a:c = 2] FOLLOWEDBY [a:d = 3] AND [a:e = 4]",
        "[a:b = 1] AND ([a:c = 2] OR [a:d = 3] REPEATS 2 TIMES)"
      })
  void canonicalText_isStable_andParsesBackToTheSameTree(String text) {
    Pattern pattern = parsed(text);

    assertEquals(text, pattern.toString());
    assertEquals(pattern, parsed(pattern.toString()));
  }

  @Test
  void spacingCommentsAndRedundantParentheses_doNotChangeTheTree() {
    Pattern messy = parsed(" ( ( [ a:b  =1 /* note */ ] ) )\tAND\u00a0[a:'c'==2] // trailing\n ");

    assertEquals(parsed("[a:b = 1] AND [a:c = 2]"), messy);
    assertEquals("[a:b = 1] AND [a:c = 2]", messy.toString());
  }

  @Test
  void deepParenthesesInsideBrackets_countTowardsTheLimit() {
    String text = "[" + "(".repeat(64) + "a:b = 1" + ")".repeat(64) + "]";

    PatternError error = error(text);
    assertTrue(error.message().startsWith("nested deeper than"), error::toString);
  }

  private static ObservationJoin join(String text) {
    return assertInstanceOf(ObservationJoin.class, parsed(text).expression());
  }

  private static Observation observation(String text) {
    return assertInstanceOf(Observation.class, parsed(text).expression());
  }

  private static Comparison comparison(String text) {
    return assertInstanceOf(Comparison.class, observation(text).comparison());
  }

  private static Pattern parsed(String text) {
    PatternResult result = PatternParser.parse(text);
    return assertInstanceOf(PatternResult.Parsed.class, result, result::toString).pattern();
  }

  private static PatternError error(String text) {
    PatternResult result = PatternParser.parse(text);
    return assertInstanceOf(PatternResult.Failed.class, result, result::toString).error();
  }
}
