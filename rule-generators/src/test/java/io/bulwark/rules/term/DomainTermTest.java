package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainTermTest {

  @Test
  void parse_mixedCaseWithTrailingDot_givesLowerCaseWithoutDot() {
    assertEquals("evil.example", valid("EviL.Example."));
  }

  @Test
  void parse_unicodeName_givesPunycode() {
    assertEquals("xn--bcher-kva.example", valid("Bücher.example"));
  }

  @Test
  void parse_cyrillicLookAlike_isADifferentPunycodeName() {
    // "pаypal" with a Cyrillic a: a different domain, rendered as its own A-label.
    String name = valid("p\u0430ypal.example");
    assertTrue(name.startsWith("xn--"), name);
    assertTrue(!name.equals("paypal.example"));
  }

  @Test
  void parse_fullWidthDot_isALabelSeparator() {
    assertEquals("evil.example", valid("evil\u3002example"));
  }

  @Test
  void parse_maximumLabelAndName_areAccepted() {
    String label = "a".repeat(63);
    String name = label + "." + label + "." + label + "." + "b".repeat(61);
    assertEquals(253, name.length());
    assertEquals(name, valid(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "example",
        "evil..example",
        ".evil.example",
        "-evil.example",
        "evil-.example",
        "evil_x.example",
        "*.evil.example",
        "evil.example;",
        "evil.example}",
        "evil.example\"",
        "evil.example'",
        "evil example",
        "evil.example\n.com",
        "evil.example\u0000",
        "evil.example\r",
        "1.2.3.4",
        "evil.example..",
        "evil/example.com",
        "evil.example:53",
        "xn--.example",
        "xn--zz-.example"
      })
  void parse_hostileOrMalformed_isInvalid(String text) {
    assertInstanceOf(TermParse.Invalid.class, DomainTerm.parse(text));
  }

  @Test
  void parse_labelOf64_isInvalidNamingTheLabel() {
    TermParse<DomainTerm> parsed = DomainTerm.parse("a".repeat(64) + ".example");
    assertEquals(
        "label 1 of the domain name is longer than 63 characters",
        ((TermParse.Invalid<DomainTerm>) parsed).reason());
  }

  @Test
  void parse_nameOf254_isInvalid() {
    String label = "a".repeat(63);
    String name = label + "." + label + "." + label + "." + "b".repeat(62);
    assertInstanceOf(TermParse.Invalid.class, DomainTerm.parse(name));
  }

  @Test
  void parse_tenKilobytes_isInvalidWithoutEchoingIt() {
    TermParse<DomainTerm> parsed = DomainTerm.parse("a.".repeat(5120) + "example");
    String reason = ((TermParse.Invalid<DomainTerm>) parsed).reason();
    assertTrue(reason.length() < 80, reason);
  }

  @Test
  void parse_null_isInvalid() {
    assertInstanceOf(TermParse.Invalid.class, DomainTerm.parse(null));
  }

  @Test
  void constructor_nonCanonical_throws() {
    assertThrows(IllegalArgumentException.class, () -> new DomainTerm("Evil.example"));
  }

  @Test
  void isWithin_subdomain_isTrueAndSuffixTrapIsFalse() {
    DomainTerm parent = new DomainTerm("evil.example");
    assertTrue(new DomainTerm("a.evil.example").isWithin(parent));
    assertTrue(!new DomainTerm("notevil.example").isWithin(parent));
  }

  private static String valid(String text) {
    return ((TermParse.Valid<DomainTerm>) DomainTerm.parse(text)).term().name();
  }
}
