package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bulwark.rules.term.IpPrefix.Family;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

  @Test
  void parse_bareIpv4_isSlash32() {
    IpPrefix prefix = valid("192.0.2.1");

    assertEquals(Family.V4, prefix.family());
    assertEquals(32, prefix.length());
    assertTrue(prefix.isSingleAddress());
    assertEquals("192.0.2.1", prefix.toString());
  }

  @Test
  void parse_ipv4Cidr_keepsLength() {
    IpPrefix prefix = valid("198.51.100.0/24");

    assertEquals(24, prefix.length());
    assertEquals("198.51.100.0/24", prefix.toString());
  }

  @Test
  void parse_slash32_rendersAsBareAddress() {
    assertEquals("192.0.2.1", valid("192.0.2.1/32").toString());
    assertEquals("2001:db8::1", valid("2001:db8::1/128").toString());
  }

  @Test
  void parse_cidrWithHostBitsSet_isInvalid() {
    String reason = invalid("10.1.2.3/8");

    assertEquals("host bits are set beyond /8 (the network is 10.0.0.0/8)", reason);
  }

  @Test
  void parse_ipv6CidrWithHostBitsSet_isInvalid() {
    assertEquals(
        "host bits are set beyond /32 (the network is 2001:db8::/32)", invalid("2001:db8::1/32"));
  }

  @ParameterizedTest
  @CsvSource({
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:db8:1:1:1:1:1:0, 2001:db8:1:1:1:1:1:0",
    "0:0:0:0:0:0:0:0, ::",
    "::1, ::1",
    "1::, 1::",
    "fe80::/10, fe80::/10",
    "0:0:0:0:0:ffff:c000:201, ::ffff:192.0.2.1",
    "::102:304, ::1.2.3.4",
    "::ffff:0:0/96, ::ffff:0.0.0.0/96",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "::/0, ::/0"
  })
  void parse_ipv6_rendersCanonically(String input, String canonical) {
    IpPrefix prefix = valid(input);

    assertEquals(canonical, prefix.toString());
    assertEquals(prefix, valid(canonical));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3.4; flush ruleset",
        "1.2.3.4 ",
        " 1.2.3.4",
        "example.com",
        "localhost",
        "1.2.3",
        "1.2.3.4.5",
        "127.1",
        "256.1.1.1",
        "01.2.3.4",
        "0x7f.0.0.1",
        "\uFF12.2.2.2",
        "1.2.3.4/33",
        "1.2.3.4/08",
        "1.2.3.4/",
        "1.2.3.4/8/8",
        "1.2.3.4\n",
        "fe80::1%eth0",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7::8",
        "12345::",
        ":1::",
        "1::2:",
        "::1.2.3",
        "1.2.3.4::",
        "::/129",
        "[::1]"
      })
  void parse_nonLiteral_isInvalid(String text) {
    invalid(text);
  }

  @ParameterizedTest
  @NullAndEmptySource
  void parse_missingValue_isInvalid(String text) {
    assertEquals("empty value is not an IP address", invalid(text));
  }

  @Test
  void parse_injectionAttempt_namesTheOffendingCharacter() {
    assertEquals(
        "unexpected character ';' at 7 of an IP literal", invalid("1.2.3.4; flush ruleset"));
  }

  @Test
  void contains_nestedPrefix_isTrueOnlyOneWay() {
    IpPrefix wide = valid("10.0.0.0/8");
    IpPrefix narrow = valid("10.20.0.0/16");

    assertTrue(wide.contains(narrow));
    assertFalse(narrow.contains(wide));
    assertTrue(wide.contains(wide));
    assertFalse(wide.contains(valid("11.0.0.0/8")));
    assertFalse(valid("::/0").contains(wide), "families never contain each other");
    assertTrue(valid("2001:db8::/32").contains(valid("2001:db8:ffff::1")));
  }

  @Test
  void compareTo_sortsNumericallyWithIpv4First() {
    List<IpPrefix> prefixes =
        new ArrayList<>(
            List.of(
                valid("::1"),
                valid("10.0.0.10"),
                valid("10.0.0.0/8"),
                valid("10.0.0.2"),
                valid("ff00::/8"),
                valid("9.255.255.255")));
    prefixes.sort(null);

    assertEquals(
        "[9.255.255.255, 10.0.0.0/8, 10.0.0.2, 10.0.0.10, ::1, ff00::/8]", prefixes.toString());
  }

  @Test
  void constructor_hostBitsSet_throws() {
    assertThrows(IllegalArgumentException.class, () -> new IpPrefix(Family.V4, 0, 0x0A010203L, 8));
    assertThrows(IllegalArgumentException.class, () -> new IpPrefix(Family.V4, 0, 1L << 32, 32));
  }

  private static IpPrefix valid(String text) {
    TermParse<IpPrefix> result = IpPrefix.parse(text);
    if (result instanceof TermParse.Valid<IpPrefix> valid) {
      return valid.term();
    }
    return fail(text + " should be valid: " + result);
  }

  private static String invalid(String text) {
    TermParse<IpPrefix> result = IpPrefix.parse(text);
    if (result instanceof TermParse.Invalid<IpPrefix> invalid) {
      return invalid.reason();
    }
    return fail(text + " should be invalid: " + result);
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3, 8, 10.0.0.0/8, 10.255.255.255",
    "10.1.2.3, 32, 10.1.2.3, 10.1.2.3",
    "192.0.2.128/25, 0, 0.0.0.0/0, 255.255.255.255",
    "2001:db8::1, 32, 2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    "2001:db8::/64, 72, , ",
    "::1, 0, ::/0, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
  })
  void widen_andLastAddress_coverTheSameAddresses(
      String text, int length, String widened, String last) {
    IpPrefix prefix = ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
    if (widened == null) {
      assertThrows(IllegalArgumentException.class, () -> prefix.widen(length));
      return;
    }
    IpPrefix wide = prefix.widen(length);
    assertEquals(widened, wide.toString());
    assertEquals(last, wide.lastAddress().toString());
    assertTrue(wide.contains(prefix) && wide.contains(wide.lastAddress()));
  }
}
