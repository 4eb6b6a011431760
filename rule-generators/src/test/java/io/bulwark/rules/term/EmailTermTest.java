package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EmailTermTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Evil.Sender@Example.COM      | evil.sender@example.com",
    "a+tag@xn--bcher-kva.example  | a+tag@xn--bcher-kva.example",
    "o'brien@bücher.example       | o'brien@xn--bcher-kva.example"
  })
  void parse_validAddress_isCanonical(String text, String canonical) {
    assertEquals(canonical, assertInstanceOf(TermParse.Valid.class, EmailTerm.parse(text)).term().toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "no-at.example                   | an e-mail address needs an '@'",
    "@example.com                    | the local part of an e-mail address must be 1 to 64 characters",
    ".a@example.com                  | the local part of an e-mail address has a dot at its start or end, or two in a row",
    "a..b@example.com                | the local part of an e-mail address has a dot at its start or end, or two in a row",
    "a b@example.com                 | character 2 of the local part is not allowed in an e-mail address",
    "\"quoted\"@example.com          | character 1 of the local part is not allowed in an e-mail address",
    "user@[192.0.2.1]                | the domain of the e-mail address: ",
    "user@localhost                  | the domain of the e-mail address: "
  })
  void parse_hostileOrMalformed_isRefusedNamingWhy(String text, String reason) {
    var invalid = assertInstanceOf(TermParse.Invalid.class, EmailTerm.parse(text));
    assertTrue(invalid.reason().startsWith(reason), invalid.reason());
  }

  @Test
  void extract_emailPaths_giveEmailTerms() {
    String pattern = "[email-message:from_ref.value = 'Boss@Example.com' AND email-message:subject = 'x']"
        + " OR [email-addr:value = 'phish@evil.example'] OR [email-message:to_refs[*].value = 'x@corp.example']";
    var parsed = assertInstanceOf(PatternResult.Parsed.class, PatternParser.parse(pattern)).pattern();

    Extraction extraction = TermExtractor.extract(parsed);

    assertTrue(extraction.terms().stream().allMatch(t -> t instanceof EmailTerm), extraction.toString());
    assertEquals("[phish@evil.example, x@corp.example]", extraction.terms().toString(),
        "the sender with a subject condition is not one term");
  }
}
