package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The value checks of {@link PatternParser#parseStrict}, which {@link PatternParser#parse} skips.
 */
class PatternValueCheckTest {

  private static final String MD5 = "cead3f77f6cda6ec00f57d76c9a6879f";
  private static final String SHA256 =
      "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[file:hashes.MD5 = '" + MD5 + "']",
        "[file:hashes.'SHA-256' = '" + SHA256 + "']",
        "[file:hashes.SHA256 != '" + SHA256 + "']",
        "[file:hashes.'SHA3-256' IN ('" + SHA256 + "')]",
        "[file:hashes.'SHA-1' = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709']",
        "[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']",
        "[file:hashes.'x-custom' = 'anything']",
        "[file:hashes[*] = 'short']",
        "[file:hashes.MD5 MATCHES '^cead']",
        "[file:name = 'short']",
        "[ipv4-addr:value = '198.51.100.7']",
        "[ipv4-addr:value = '198.51.100.7/24']",
        "[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
        "[ipv4-addr:value IN ('10.0.0.1', '10.0.0.0/8')]",
        "[ipv4-addr:value LIKE '10.%']",
        "[ipv6-addr:value = '2001:db8::1']"
      })
  void validValue_passesTheStrictChecks(String text) {
    assertInstanceOf(PatternResult.Parsed.class, PatternParser.parseStrict(text), text);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          [file:hashes.MD5 = 'abc']                          | 19 | 'abc' is not a valid MD5 hash: expected 32 hex digits
          [file:hashes.'SHA-256' != 'f00']                   | 26 | 'f00' is not a valid SHA-256 hash: expected 64 hex digits
          [file:hashes.'SHA-512' IN ('00', 'ab')]            | 26 | '00' is not a valid SHA-512 hash: expected 128 hex digits
          [file:hashes.'SHA-1' = 'zz39a3ee5e6b4b0d3255bfef95601890afd80709'] | 23 | 'zz39a3ee5e6b4b0d3255bfef95601890afd80709' is not a valid SHA-1 hash: expected 40 hex digits
          [file:hashes.SSDEEP = 'has spaces']                | 22 | 'has spaces' is not a valid SSDEEP hash
          [ipv4-addr:value = '198.51.100.256']               | 19 | '198.51.100.256' is not a valid IPv4 address or CIDR: each octet must be a number from 0 to 255 without leading zeros
          [ipv4-addr:value = '198.51.100.7/33']              | 19 | '198.51.100.7/33' is not a valid IPv4 address or CIDR: the prefix length must be 0 to 32
          [ipv4-addr:value = '198.51.100.07']                | 19 | '198.51.100.07' is not a valid IPv4 address or CIDR: each octet must be a number from 0 to 255 without leading zeros
          [ipv4-addr:value ISSUBSET '198.51.100']            | 26 | '198.51.100' is not a valid IPv4 address or CIDR: expected four octets separated by '.'
          [ipv4-addr:value = '198[.]51.100.7']               | 19 | '198[.]51.100.7' is not a valid IPv4 address or CIDR: each octet must be a number from 0 to 255 without leading zeros
          """)
  void badValue_isRefusedByTheStrictParserOnly(String text, int position, String message) {
    PatternResult strict = PatternParser.parseStrict(text);

    assertEquals(
        new PatternError(position, message),
        assertInstanceOf(PatternResult.Failed.class, strict).error());
    assertInstanceOf(PatternResult.Parsed.class, PatternParser.parse(text));
  }
}
