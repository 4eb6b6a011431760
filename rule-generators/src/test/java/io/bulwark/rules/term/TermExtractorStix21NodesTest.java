package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The STIX 2.1 constructs the parser now accepts but no term expresses (other operators, NOT,
 * EXISTS, qualifiers) never become a term: they are reported as unenforceable.
 */
class TermExtractorStix21NodesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[ipv4-addr:value != '192.0.2.1']",
        "[ipv4-addr:value ISSUBSET '192.0.2.0/24']",
        "[ipv4-addr:value LIKE '192.0.2.%']",
        "[network-traffic:dst_port >= 445]",
        "[ipv4-addr:value NOT = '192.0.2.1']",
        "[ipv4-addr:value NOT IN ('192.0.2.1')]",
        "[EXISTS ipv4-addr:value]",
        "[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES",
        "[ipv4-addr:value = '192.0.2.1'] WITHIN 5 SECONDS"
      })
  void constructWithoutTerm_isUnenforceable(String text) {
    Extraction extraction = extract(text);

    assertEquals(0, extraction.terms().size(), extraction::toString);
    assertFalse(extraction.unenforceable().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOLLOWEDBY", "AND", "OR"})
  void joinedObservations_contributeTheirTerms(String connective) {
    Extraction extraction =
        extract(
            "[ipv4-addr:value = '192.0.2.1'] " + connective + " [ipv4-addr:value = '192.0.2.2']");

    assertEquals(2, extraction.terms().size(), extraction::toString);
    assertTrue(extraction.unenforceable().isEmpty());
  }

  private static Extraction extract(String text) {
    PatternResult result = PatternParser.parse(text);
    return TermExtractor.extract(
        assertInstanceOf(PatternResult.Parsed.class, result, result::toString).pattern());
  }
}
