package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.rules.term.HashTerm.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashTermTest {

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void parse_upperCaseHexOfExactLength_isLowerCased(Algorithm algorithm) {
    String hex = "AbCdEf0123456789".repeat(8).substring(0, algorithm.hexLength());
    HashTerm term = ((TermParse.Valid<HashTerm>) HashTerm.parse(algorithm, hex)).term();
    assertEquals(hex.toLowerCase(java.util.Locale.ROOT), term.hex());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "d41d8cd98f00b204e9800998ecf8427",
        "d41d8cd98f00b204e9800998ecf8427e0",
        "d41d8cd98f00b204e9800998ecf8427g",
        "d41d8cd98f00b204e9800998ecf842;e",
        "d41d8cd98f00b204e9800998ecf842\ne",
        "d41d8cd98f00b204e9800998ecf842\u0000",
        "\uff44\uff14\uff11d8cd98f00b204e9800998ecf8427e"
      })
  void parse_wrongLengthOrCharacters_isInvalid(String text) {
    assertInstanceOf(TermParse.Invalid.class, HashTerm.parse(Algorithm.MD5, text));
  }

  @Test
  void parse_wrongLength_namesAlgorithmAndLengths() {
    TermParse<HashTerm> parsed = HashTerm.parse(Algorithm.SHA256, "abc");
    assertEquals(
        "SHA-256 hash has 64 hex digits, not 3", ((TermParse.Invalid<HashTerm>) parsed).reason());
  }

  @Test
  void fromStixName_knownAndUnknownNames() {
    assertEquals(Algorithm.SHA1, Algorithm.fromStixName("SHA-1").orElseThrow());
    assertEquals(true, Algorithm.fromStixName("sha1").isEmpty());
  }

  @Test
  void constructor_upperCase_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new HashTerm(Algorithm.MD5, "D41D8CD98F00B204E9800998ECF8427E"));
  }
}
