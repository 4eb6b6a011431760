package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ObservationExpression.Observation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every constant form: how it is read, what it holds, and how it prints. */
class PatternLiteralTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          'plain'                          | 'plain'
          'it\\'s'                         | 'it\\'s'
          'back\\\\slash'                  | 'back\\\\slash'
          ''                               | ''
          0                                | 0
          +12                              | 12
          -7                               | -7
          7.0                              | 7.0
          +.5                              | 0.5
          -.25                             | -0.25
          007.5                            | 7.5
          true                             | true
          false                            | false
          t'2016-01-01T00:00:00Z'          | t'2016-01-01T00:00:00Z'
          t'2016-01-01T00:00:00.123456Z'   | t'2016-01-01T00:00:00.123456Z'
          t'2016-12-31T23:59:60Z'          | t'2016-12-31T23:59:60Z'
          b'dGVzdA=='                      | b'dGVzdA=='
          b'dGVzdDE='                      | b'dGVzdDE='
          h'FFd8'                          | h'ffd8'
          h''                              | h''
          """)
  void constant_isReadAndPrintedCanonically(String written, String canonical) {
    Literal value = constant(written);

    assertEquals(canonical, value.toString());
    assertEquals(value, constant(value.toString()));
  }

  @Test
  void constants_haveTheirTypedValues() {
    assertEquals(new Literal.StringLiteral("it's a \\ path"), constant("'it\\'s a \\\\ path'"));
    assertEquals(new Literal.IntegerLiteral(-5), constant("-5"));
    assertEquals(new Literal.FloatLiteral(-0.5), constant("-.5"));
    assertEquals(new Literal.BooleanLiteral(true), constant("true"));
    assertEquals(
        new Literal.TimestampLiteral("2016-01-01T00:00:00Z"), constant("t'2016-01-01T00:00:00Z'"));
    assertEquals(new Literal.HexLiteral("ffd8"), constant("h'FFD8'"));
    Literal.BinaryLiteral binary =
        assertInstanceOf(Literal.BinaryLiteral.class, constant("b'dGVzdA=='"));
    assertArrayEquals("test".getBytes(StandardCharsets.US_ASCII), binary.bytes());
  }

  @Test
  void string_mayHoldAnyCharacterButQuoteAndBackslash() {
    Literal value = constant("'line\nbreak \u00e9 \"quoted\" ]) AND ['");

    assertEquals(new Literal.StringLiteral("line\nbreak \u00e9 \"quoted\" ]) AND ["), value);
  }

  @Test
  void timestamp_instant_isEmptyForDaysTheMonthLacks() {
    assertEquals(
        Optional.of(Instant.parse("2024-02-29T12:00:00Z")),
        new Literal.TimestampLiteral("2024-02-29T12:00:00Z").instant());
    assertEquals(Optional.empty(), new Literal.TimestampLiteral("2024-02-30T12:00:00Z").instant());
  }

  @Test
  void float_printsWithoutExponent_andKeepsNegativeZero() {
    assertEquals("100000000000000000000.0", new Literal.FloatLiteral(1e20).toString());
    assertEquals("0.0000001", new Literal.FloatLiteral(1e-7).toString());
    assertEquals("-0.0", new Literal.FloatLiteral(-0.0).toString());
    assertEquals(
        new Literal.FloatLiteral(-0.0), constant(new Literal.FloatLiteral(-0.0).toString()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "t'2016-01-01T00:00:00'",
        "t'2016-01-01 00:00:00Z'",
        "t'2016-01-01T00:00:00+01:00'",
        "t'2016-01-01T00:00:00.Z'",
        "t'16-01-01T00:00:00Z'",
        "b''",
        "b'abc'",
        "b'a==='",
        "b'ab=c'",
        "h'abc'",
        "h'zz'",
        "'unterminated",
        "'bad \\n escape'",
        "1.",
        "--1",
        "True"
      })
  void malformedConstant_isRefused(String written) {
    assertInstanceOf(PatternResult.Failed.class, PatternParser.parse("[x:y = " + written + "]"));
  }

  @Test
  void set_holdsMixedConstants_andMayBeEmpty() {
    Comparison comparison = comparison("[x:y IN (1, 'a', 2.5, true, h'00')]");

    assertEquals(
        new Literal.SetLiteral(
            List.of(
                new Literal.IntegerLiteral(1),
                new Literal.StringLiteral("a"),
                new Literal.FloatLiteral(2.5),
                new Literal.BooleanLiteral(true),
                new Literal.HexLiteral("00"))),
        comparison.value());
    assertEquals(new Literal.SetLiteral(List.of()), comparison("[x:y IN ()]").value());
  }

  @Test
  void records_refuseWhatTheGrammarCannotProduce() {
    assertThrows(IllegalArgumentException.class, () -> new Literal.FloatLiteral(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Literal.TimestampLiteral("yesterday"));
    assertThrows(IllegalArgumentException.class, () -> new Literal.BinaryLiteral("a"));
    assertThrows(IllegalArgumentException.class, () -> new Literal.HexLiteral("f"));
  }

  private static Literal constant(String written) {
    return comparison("[x:y = " + written + "]").value();
  }

  private static Comparison comparison(String text) {
    PatternResult result = PatternParser.parse(text);
    Pattern pattern =
        assertInstanceOf(PatternResult.Parsed.class, result, result::toString).pattern();
    Observation observation = assertInstanceOf(Observation.class, pattern.expression());
    return assertInstanceOf(Comparison.class, observation.comparison());
  }
}
