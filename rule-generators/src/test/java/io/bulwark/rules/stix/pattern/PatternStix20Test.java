package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.rules.stix.SpecVersion;
import io.bulwark.rules.stix.pattern.ObservationExpression.Qualified;
import org.junit.jupiter.api.Test;

/** The one rule where the STIX 2.0 pattern grammar differs from 2.1: START and STOP take strings. */
class PatternStix20Test {

  private static final String V20 =
      "[ipv4-addr:value = '198.51.100.1'] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00.5Z'";
  private static final String V21 =
      "[ipv4-addr:value = '198.51.100.1'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.5Z'";

  @Test
  void startStop_withStrings_isStix20_andGivesTheSameTreeAs21() {
    Pattern v20 = parsed(PatternParser.parseStrict(V20, SpecVersion.V2_0));
    Pattern v21 = parsed(PatternParser.parseStrict(V21, SpecVersion.V2_1));

    assertEquals(v21, v20);
    Qualified qualified = assertInstanceOf(Qualified.class, v20.expression());
    Qualifier.StartStop startStop = assertInstanceOf(Qualifier.StartStop.class, qualified.qualifier());
    assertEquals("2016-06-01T00:00:00Z", startStop.start().value());
  }

  @Test
  void startStop_withStrings_isRefusedBy21() {
    PatternError error = failed(PatternParser.parseStrict(V20, SpecVersion.V2_1));

    assertEquals(V20.indexOf("'2016-06"), error.position());
    assertEquals("expected a timestamp t'...' after START but found a string", error.message());
  }

  @Test
  void startStop_withTimestampConstants_isRefusedBy20() {
    PatternError error = failed(PatternParser.parseStrict(V21, SpecVersion.V2_0));

    assertEquals(V21.indexOf("t'2016-06"), error.position());
    assertEquals("expected a timestamp string '...' after START (STIX 2.0) but found a timestamp", error.message());
  }

  @Test
  void startStop_stringThatIsNoTimestamp_isRefusedBy20_atTheString() {
    String pattern = "[x:y = 1] START '2016-06-01' STOP '2016-07-01T00:00:00Z'";

    PatternError error = failed(PatternParser.parseStrict(pattern, SpecVersion.V2_0));

    assertEquals(pattern.indexOf("'2016-06-01'"), error.position());
    assertEquals(
        "expected a timestamp string 'YYYY-MM-DDTHH:MM:SS[.s]Z' after START (STIX 2.0) but found '2016-06-01'",
        error.message());
  }

  @Test
  void startAfterStop_isRefusedBy20_asBy21() {
    String pattern = "[x:y = 1] START '2016-07-01T00:00:00Z' STOP '2016-06-01T00:00:00Z'";

    PatternError error = failed(PatternParser.parseStrict(pattern, SpecVersion.V2_0));

    assertEquals(pattern.indexOf("START"), error.position());
  }

  @Test
  void valueChecks_applyTo20() {
    String pattern = "[file:hashes.'SHA-256' = 'abc']";

    PatternError error = failed(PatternParser.parseStrict(pattern, SpecVersion.V2_0));

    assertEquals(pattern.indexOf("'abc'"), error.position());
  }

  private static Pattern parsed(PatternResult result) {
    return assertInstanceOf(PatternResult.Parsed.class, result, result::toString).pattern();
  }

  private static PatternError failed(PatternResult result) {
    return assertInstanceOf(PatternResult.Failed.class, result, result::toString).error();
  }
}
