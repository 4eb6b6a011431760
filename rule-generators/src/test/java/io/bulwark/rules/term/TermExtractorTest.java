package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TermExtractorTest {

  @Test
  void extract_ipv4Cidr_givesPrefix() {
    Extraction extraction = extract("[ipv4-addr:value = '198.51.100.0/24']");

    assertEquals("[198.51.100.0/24]", extraction.terms().toString());
    assertTrue(extraction.isFullyEnforceable());
  }

  @Test
  void extract_ipv6_givesCanonicalPrefix() {
    assertEquals(
        "[2001:db8::1]", extract("[ipv6-addr:value = '2001:DB8:0:0:0:0:0:1']").terms().toString());
  }

  @Test
  void extract_inList_givesOneTermPerValue() {
    assertEquals(
        "[192.0.2.1, 192.0.2.2]",
        extract("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]").terms().toString());
  }

  @Test
  void extract_orOfObservationsAndComparisons_givesUnion() {
    Extraction extraction =
        extract(
            "[ipv4-addr:value = '192.0.2.1' OR ipv6-addr:value = '2001:db8::1']"
                + " OR [ipv4-addr:value = '192.0.2.9']");

    assertEquals("[192.0.2.1, 2001:db8::1, 192.0.2.9]", extraction.terms().toString());
  }

  @Test
  void extract_andOfObservations_givesUnion() {
    assertEquals(
        "[192.0.2.1, tcp/445]",
        extract(
                "[ipv4-addr:value = '192.0.2.1'] AND [network-traffic:dst_port = 445"
                    + " AND network-traffic:protocols[*] = 'tcp']")
            .terms()
            .toString());
  }

  @Test
  void extract_portWithTcp_givesOnePortTerm() {
    Extraction extraction =
        extract("[network-traffic:dst_port = 445 AND network-traffic:protocols[*] = 'tcp']");

    assertEquals(List.of(new PortTerm(Protocol.TCP, 445)), extraction.terms());
  }

  @Test
  void extract_portWithoutProtocol_givesTcpAndUdp() {
    assertEquals("[tcp/53, udp/53]", extract("[network-traffic:dst_port = 53]").terms().toString());
  }

  @Test
  void extract_portListWithSctpAndNetworkLayer_givesSctpPorts() {
    assertEquals(
        "[sctp/2905, sctp/3868]",
        extract(
                "[network-traffic:dst_port IN (2905, 3868) AND network-traffic:protocols[0] ="
                    + " 'ipv4' AND network-traffic:protocols[1] = 'SCTP']")
            .terms()
            .toString());
  }

  @Test
  void extract_referenceValueWithMatchingType_givesPrefix() {
    assertEquals(
        "[203.0.113.0/24]",
        extract(
                "[network-traffic:dst_ref.type = 'ipv4-addr'"
                    + " AND network-traffic:dst_ref.value = '203.0.113.0/24']")
            .terms()
            .toString());
  }

  @Test
  void extract_fileHashOfWrongLength_isReportedUnenforceable() {
    Extraction extraction = extract("[file:hashes.'SHA-256' = 'abc']");

    assertEquals(List.of(), extraction.terms());
    assertEquals(
        List.of(
            new Unenforceable(
                "file:hashes.'SHA-256' = 'abc': SHA-256 hash has 64 hex digits, not 3")),
        extraction.unenforceable());
  }

  @Test
  void extract_unknownHashAlgorithm_isReportedUnenforceable() {
    Extraction extraction = extract("[file:hashes.'SHA3-256' = 'abc']");

    assertEquals(List.of(), extraction.terms());
    assertEquals(
        "file:hashes.'SHA3-256' = 'abc': no enforceable term for file:hashes.'SHA3-256'",
        onlyReason(extraction));
  }

  @Test
  void extract_orWithDomain_givesBothTerms() {
    Extraction extraction =
        extract("[ipv4-addr:value = '192.0.2.1'] OR [domain-name:value = 'Evil.Example.']");

    assertEquals("[192.0.2.1, evil.example]", extraction.terms().toString());
    assertTrue(extraction.isFullyEnforceable());
  }

  @Test
  void extract_hashesQuotedAndUnquoted_giveLowerCaseHashTerms() {
    String md5 = "D41D8CD98F00B204E9800998ECF8427E";
    Extraction extraction =
        extract("[file:hashes.MD5 = '" + md5 + "'] OR [file:hashes.'MD5' = '" + md5 + "']");

    assertEquals(
        List.of(new HashTerm(HashTerm.Algorithm.MD5, md5.toLowerCase(java.util.Locale.ROOT))),
        extraction.terms());
  }

  @Test
  void extract_hashesOfOneFileJoinedByAnd_giveOneTermPerAlgorithm() {
    Extraction extraction =
        extract(
            "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709' AND"
                + " file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");

    assertEquals(
        "[sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709, md5:d41d8cd98f00b204e9800998ecf8427e]",
        extraction.terms().toString());
  }

  @Test
  void extract_twoDomainsJoinedByAnd_isUnenforceable() {
    Extraction extraction =
        extract("[domain-name:value = 'a.example' AND domain-name:value = 'b.example']");

    assertEquals(List.of(), extraction.terms());
    assertTrue(onlyReason(extraction).endsWith("one value cannot equal several values"));
  }

  @Test
  void extract_urlList_givesNormalisedUrls() {
    Extraction extraction =
        extract("[url:value IN ('HTTP://Evil.Example:80/a%7eb#frag', 'https://evil.example/')]");

    assertEquals("[http://evil.example/a~b, https://evil.example/]", extraction.terms().toString());
  }

  @Test
  void extract_domainWithNewline_isUnenforceableAndEscaped() {
    Extraction extraction = extract("[domain-name:value = 'evil.example\ninclude \"x\";']");

    assertEquals(List.of(), extraction.terms());
    assertTrue(onlyReason(extraction).contains("control character or space"));
  }

  @Test
  void extract_addressAndPort_isUnenforceable() {
    Extraction extraction =
        extract("[network-traffic:dst_ref.value = '192.0.2.1' AND network-traffic:dst_port = 22]");

    assertEquals(List.of(), extraction.terms());
    assertTrue(
        onlyReason(extraction).endsWith("an address and a port together are not enforceable"));
  }

  @Test
  void extract_hostileValue_isUnenforceableAndYieldsNoTerm() {
    Extraction extraction = extract("[ipv4-addr:value = '1.2.3.4; flush ruleset']");

    assertEquals(List.of(), extraction.terms());
    assertEquals(
        "ipv4-addr:value = '1.2.3.4; flush ruleset': unexpected character ';' at 7 of an IP"
            + " literal",
        onlyReason(extraction));
  }

  @Test
  void extract_cidrWithHostBits_isUnenforceable() {
    assertEquals(
        "ipv4-addr:value = '10.1.2.3/8': host bits are set beyond /8 (the network is 10.0.0.0/8)",
        onlyReason(extract("[ipv4-addr:value = '10.1.2.3/8']")));
  }

  @Test
  void extract_wrongFamilyForPath_isUnenforceable() {
    assertEquals(
        "ipv4-addr:value = '2001:db8::1': not an IPv4 address",
        onlyReason(extract("[ipv4-addr:value = '2001:db8::1']")));
  }

  @Test
  void extract_controlCharactersInValue_areEscapedInReason() {
    String reason = onlyReason(extract("[ipv4-addr:value = '1.2.3.4\n5']"));

    assertTrue(reason.startsWith("ipv4-addr:value = '1.2.3.4\\u000a5':"), reason);
  }

  @Test
  void extract_portOutOfRange_isUnenforceable() {
    assertEquals(
        "network-traffic:dst_port = 70000: port 70000 is outside 1..65535",
        onlyReason(extract("[network-traffic:dst_port = 70000]")));
  }

  @Test
  void extract_protocolWithoutPort_isUnenforceable() {
    assertEquals(
        "network-traffic:protocols[*] = 'tcp': a protocol without a destination port is not"
            + " enforceable",
        onlyReason(extract("[network-traffic:protocols[*] = 'tcp']")));
  }

  @Test
  void extract_applicationProtocol_isUnenforceable() {
    assertEquals(
        List.of(),
        extract("[network-traffic:dst_port = 80 AND network-traffic:protocols[*] = 'http']")
            .terms());
  }

  @Test
  void extract_sourcePort_isUnenforceable() {
    assertEquals(
        "network-traffic:src_port = 1234: source ports are not enforced",
        onlyReason(extract("[network-traffic:src_port = 1234]")));
  }

  @Test
  void extract_emptyInList_isUnenforceable() {
    assertEquals(
        "ipv4-addr:value IN () matches nothing", onlyReason(extract("[ipv4-addr:value IN ()]")));
  }

  @Test
  void extract_repeatedValues_areMergedInOrderOfMention() {
    assertEquals(
        "[192.0.2.2, 192.0.2.1]",
        extract(
                "[ipv4-addr:value = '192.0.2.2'] OR [ipv4-addr:value IN ('192.0.2.1',"
                    + " '192.0.2.2')]")
            .terms()
            .toString());
  }

  @Test
  void extract_explodingConjunction_isReportedAsTooComplex() {
    String list =
        IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    String pattern =
        "[network-traffic:dst_port IN ("
            + list
            + ") AND network-traffic:dst_port IN ("
            + list
            + ")]";

    assertEquals(
        "an observation expands to more than 4096 alternatives", onlyReason(extract(pattern)));
  }

  private static Extraction extract(String text) {
    PatternResult result = PatternParser.parse(text);
    return TermExtractor.extract(
        assertInstanceOf(PatternResult.Parsed.class, result, () -> result.toString()).pattern());
  }

  private static String onlyReason(Extraction extraction) {
    assertEquals(1, extraction.unenforceable().size(), () -> extraction.toString());
    return extraction.unenforceable().get(0).reason();
  }
}
