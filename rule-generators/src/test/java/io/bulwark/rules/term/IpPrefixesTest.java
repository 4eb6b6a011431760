package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpPrefixesTest {

  @Test
  void normalise_duplicatesAndContainedPrefixes_areRemoved() {
    assertEquals(
        "[10.0.0.0/8, 192.0.2.1]",
        normalised("10.20.30.0/24", "192.0.2.1", "10.0.0.0/8", "192.0.2.1", "10.1.2.3"));
  }

  @Test
  void normalise_adjacentPrefixes_areKeptApart() {
    assertEquals(
        "[198.51.100.0/25, 198.51.100.128/25]", normalised("198.51.100.128/25", "198.51.100.0/25"));
  }

  @Test
  void normalise_mixedFamilies_sortIpv4First() {
    assertEquals(
        "[192.0.2.0/24, 2001:db8::/32, fe80::/10]",
        normalised("fe80::/10", "2001:db8::/32", "2001:db8::1", "192.0.2.0/24"));
  }

  @Test
  void normalise_defaultRoute_swallowsItsFamilyOnly() {
    assertEquals("[0.0.0.0/0, 2001:db8::1]", normalised("192.0.2.1", "0.0.0.0/0", "2001:db8::1"));
  }

  @Test
  void normalise_containedPrefixAfterSiblings_isStillRemoved() {
    // 10.0.0.0/8 contains 10.5.0.0/16, with an unrelated sibling 10.1.0.0/16 sorted between.
    assertEquals(
        "[10.0.0.0/8, 11.0.0.0/8]",
        normalised("10.1.0.0/16", "11.0.0.0/8", "10.5.0.0/16", "10.0.0.0/8"));
  }

  @Test
  void normalise_empty_isEmpty() {
    assertEquals(List.of(), IpPrefixes.normalise(List.of()));
  }

  private static String normalised(String... texts) {
    List<IpPrefix> prefixes =
        Arrays.stream(texts)
            .map(text -> ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term())
            .toList();
    return IpPrefixes.normalise(prefixes).toString();
  }
}
