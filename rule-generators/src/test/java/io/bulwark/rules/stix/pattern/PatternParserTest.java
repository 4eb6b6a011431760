package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.ComparisonJoin;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import io.bulwark.rules.stix.pattern.ObjectPath.AnyIndex;
import io.bulwark.rules.stix.pattern.ObjectPath.Index;
import io.bulwark.rules.stix.pattern.ObjectPath.Property;
import io.bulwark.rules.stix.pattern.ObservationExpression.Observation;
import io.bulwark.rules.stix.pattern.ObservationExpression.ObservationJoin;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatternParserTest {

  @Test
  void parse_singleComparison_buildsObservation() {
    Pattern pattern = parsed("[ipv4-addr:value = '198.51.100.0/24']");

    Observation observation = assertInstanceOf(Observation.class, pattern.expression());
    Comparison comparison = assertInstanceOf(Comparison.class, observation.comparison());
    assertEquals(new ObjectPath("ipv4-addr", List.of(new Property("value"))), comparison.path());
    assertEquals(Operator.EQUAL, comparison.operator());
    assertEquals(new Literal.StringLiteral("198.51.100.0/24"), comparison.value());
  }

  @Test
  void parse_observationOrAndAnd_andBindsTighter() {
    Pattern pattern = parsed("[a:b = 1] OR [a:b = 2] AND [a:b = 3]");

    ObservationJoin or = assertInstanceOf(ObservationJoin.class, pattern.expression());
    assertEquals(Connective.OR, or.connective());
    assertInstanceOf(Observation.class, or.left());
    ObservationJoin and = assertInstanceOf(ObservationJoin.class, or.right());
    assertEquals(Connective.AND, and.connective());
  }

  @Test
  void parse_parenthesisedComparisons_keepGrouping() {
    Pattern pattern = parsed("[(a:b = 1 OR a:b = 2) AND a:c = 'x']");

    Observation observation = (Observation) pattern.expression();
    ComparisonJoin and = assertInstanceOf(ComparisonJoin.class, observation.comparison());
    assertEquals(Connective.AND, and.connective());
    assertEquals(Connective.OR, assertInstanceOf(ComparisonJoin.class, and.left()).connective());
  }

  @Test
  void parse_parenthesisedObservations_keepGrouping() {
    Pattern pattern = parsed("([a:b = 1] OR [a:b = 2]) AND [a:b = 3]");

    ObservationJoin and = assertInstanceOf(ObservationJoin.class, pattern.expression());
    assertEquals(Connective.AND, and.connective());
    assertEquals(Connective.OR, assertInstanceOf(ObservationJoin.class, and.left()).connective());
  }

  @Test
  void parse_inList_buildsSetLiteral() {
    Comparison comparison = onlyComparison("[network-traffic:dst_port IN (139, 445)]");

    assertEquals(Operator.IN, comparison.operator());
    assertEquals(
        new Literal.SetLiteral(
            List.of(new Literal.IntegerLiteral(139), new Literal.IntegerLiteral(445))),
        comparison.value());
  }

  @Test
  void parse_pathSteps_coverIndexesReferencesAndQuotedKeys() {
    assertEquals(
        List.of(new Property("protocols"), new AnyIndex()),
        onlyComparison("[network-traffic:protocols[*] = 'tcp']").path().steps());
    assertEquals(
        List.of(new Property("extensions"), new Property("x"), new Index(0)),
        onlyComparison("[network-traffic:extensions.x[0] = 'tcp']").path().steps());
    assertEquals(
        List.of(new Property("dst_ref"), new Property("value")),
        onlyComparison("[network-traffic:dst_ref.value = '192.0.2.1']").path().steps());
    assertEquals(
        List.of(new Property("hashes"), new Property("SHA-256")),
        onlyComparison("[file:hashes.'SHA-256' = '" + "ab".repeat(32) + "']").path().steps());
  }

  @Test
  void parse_stringEscapes_areResolved() {
    Comparison comparison = onlyComparison("[url:value = 'it\\'s a \\\\ path']");

    assertEquals(new Literal.StringLiteral("it's a \\ path"), comparison.value());
  }

  @Test
  void parse_negativeInteger_isALiteral() {
    assertEquals(new Literal.IntegerLiteral(-5), onlyComparison("[x:y = -5]").value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[ipv4-addr:value = '198.51.100.1'] OR [ipv6-addr:value = '2001:db8::1']",
        "[a:b = 1] AND ([a:b = 2] OR [a:b = 3])",
        "[a:b = 1 AND (a:c = 2 OR a:d IN ('x', 'y'))]",
        "[a:b = 1 OR (a:c = 2 OR a:d = 3)]",
        "[file:name = 'it\\'s' AND network-traffic:protocols[*] = 'tcp']",
        "[a:b = 1] FOLLOWEDBY [a:c = 2] OR [a:d = 3] AND [a:e = 4]",
        "([a:b = 1] FOLLOWEDBY [a:c = 2]) AND [a:d = 3]",
        "[a:b = 1] FOLLOWEDBY ([a:c = 2] FOLLOWEDBY [a:d = 3])",
        "[a:b NOT = 1 OR EXISTS a:c AND a:d NOT IN (1, 'x', true)]",
        "[x:y IN ()]"
      })
  void toString_parsedPattern_parsesBackToEqualTree(String text) {
    Pattern pattern = parsed(text);

    assertEquals(text, pattern.toString());
    assertEquals(pattern, parsed(pattern.toString()));
  }

  @Test
  void toString_quotedPlainIdentifier_isPrintedUnquoted() {
    String md5 = "ab".repeat(16);
    assertEquals(
        "[file:hashes.MD5 = '" + md5 + "']",
        parsed("[file:hashes.'MD5' = '" + md5 + "']").toString());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          ""                                                          | 0   | expected '[' to start an observation, or '(' but found end of pattern
          [ipv4-addr:value = '1.2.3.4'                                | 28  | expected ']' or 'AND'/'OR' after a comparison but found end of pattern
          [ipv4-addr:value = '1.2.3.4' AND]                           | 32  | expected an object path such as file:name but found ']'
          [a:b = 'c' 'd']                                             | 11  | expected ']' or 'AND'/'OR' after a comparison but found a string
          [ipv4-addr:value = '1.2.3.4'] and [x:y = 1]                 | 30  | expected 'AND', 'OR', 'FOLLOWEDBY', a qualifier or end of pattern but found 'and'
          [a:b = 1] FOLLOWEDBY                                        | 20  | expected '[' to start an observation, or '(' but found end of pattern
          [a:b = 1 FOLLOWEDBY a:c = 2]                                | 9   | expected ']' or 'AND'/'OR' after a comparison but found 'FOLLOWEDBY'
          ([a:b = 1] OR [a:c = 2]                                     | 23  | expected ')' or 'AND'/'OR'/'FOLLOWEDBY' but found end of pattern
          [x:y = 1.5.]                                                | 10  | expected ']' or 'AND'/'OR' after a comparison but found '.'
          [x:y < true]                                                | 7   | expected an orderable constant (not a boolean) but found 'true'
          [x:y LIKE 5]                                                | 10  | expected a string after LIKE but found '5'
          [x:y NOT EXISTS x:z]                                        | 9   | expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET) but found 'EXISTS'
          [NOT x:y = 1]                                               | 1   | expected an object path such as file:name but found 'NOT'
          [x:y ! 1]                                                   | 5   | unexpected character '!'
          [x:y = 99999999999999999999]                                | 7   | integer out of range
          [x:y = 007]                                                 | 7   | integer has a leading zero
          [ipv4-addr:value = 'x]                                      | 19  | unterminated string: expected a closing quote
          [x:y = 1] /* open                                           | 10  | unterminated comment: expected '*/'
          [file:hashes.SHA-256 = 'x']                                 | 13  | property names cannot contain '-'; quote them: 'name-with-hyphen'
          [x:y[+] = 1]                                                | 5   | expected a list index or '*' but found '+'
          [x:y IN ('a' 'b')]                                          | 13  | expected ',' or ')' in the set but found a string
          [x:y IN 'a']                                                | 8   | expected '(' to start the set after IN but found a string
          [x:y = 1] ;                                                 | 10  | unexpected character ';'
          [x y = 1]                                                   | 3   | expected ':' after the object type but found 'y'
          [x: = 1]                                                    | 4   | expected a property name but found '='
          [x:true = 1]                                                | 3   | expected a property name but found 'true'
          [x:y.TIMES = 1]                                             | 5   | expected a property name but found 'TIMES'
          [AND:y = 1]                                                 | 1   | expected an object path such as file:name but found 'AND'
          [x:y 1]                                                     | 5   | expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET) but found '1'
          [x:y = ]                                                    | 7   | expected a constant (string, number, true, false, t'...', b'...' or h'...') but found ']'
          [x:y = TRUE]                                                | 7   | expected a constant (string, number, true, false, t'...', b'...' or h'...') but found 'TRUE'
          x:y = 1                                                     | 0   | expected '[' to start an observation, or '(' but found 'x'
          """)
  void parse_invalidPattern_reportsPositionAndExpectation(
      String text, int position, String message) {
    PatternError error = failed(text);

    assertEquals(new PatternError(position, message), error);
    assertEquals("at " + position + ": " + message, error.toString());
  }

  @Test
  void parse_invalidEscape_pointsAtBackslash() {
    assertEquals(21, failed("[ipv4-addr:value = 'a\\nb']").position());
  }

  @Test
  void parse_deepNesting_isRefusedAtTheLimit() {
    String text = "(".repeat(70) + "[x:y = 1]" + ")".repeat(70);

    assertEquals(new PatternError(64, "nested deeper than 64 levels"), failed(text));
  }

  @Test
  void parse_tooLong_isRefused() {
    String text = "[x:y = '" + "a".repeat(PatternParser.MAX_LENGTH) + "']";

    assertEquals(PatternParser.MAX_LENGTH, failed(text).position());
  }

  @Test
  void parse_null_isRefused() {
    assertEquals(new PatternError(0, "pattern is missing"), failed(null));
  }

  private static Pattern parsed(String text) {
    PatternResult result = PatternParser.parse(text);
    return assertInstanceOf(PatternResult.Parsed.class, result, () -> result.toString()).pattern();
  }

  private static Comparison onlyComparison(String text) {
    Observation observation = assertInstanceOf(Observation.class, parsed(text).expression());
    return assertInstanceOf(Comparison.class, observation.comparison());
  }

  private static PatternError failed(String text) {
    PatternResult result = PatternParser.parse(text);
    return assertInstanceOf(PatternResult.Failed.class, result, () -> result.toString()).error();
  }
}
