package io.bulwark.rules.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.rules.nftables.NftablesGenerator;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.TermExtractor;
import org.junit.jupiter.api.Test;

class CoverageTest {

  private final RuleGenerator nftables = new NftablesGenerator();

  @Test
  void assess_addressesOnNftables_isEnforced() {
    Coverage coverage =
        assess("[ipv4-addr:value = '192.0.2.1'] OR [ipv6-addr:value = '2001:db8::1']");

    assertEquals(new Coverage.Enforced(), coverage);
    assertEquals("enforced", coverage.label());
  }

  @Test
  void assess_addressOrDomainOnNftables_isPartialNamingTheDomain() {
    Coverage coverage =
        assess("[ipv4-addr:value = '192.0.2.1'] OR [domain-name:value = 'evil.example']");

    assertEquals(
        new Coverage.Partial("evil.example: nftables has no rule for domain terms"), coverage);
  }

  @Test
  void assess_onlyHashAndUrlOnNftables_isUnsupported() {
    Coverage coverage =
        assess(
            "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e'] OR"
                + " [url:value = 'http://evil.example/x']");

    assertEquals(
        new Coverage.Unsupported(
            "md5:d41d8cd98f00b204e9800998ecf8427e: nftables has no rule for hash terms;"
                + " http://evil.example/x: nftables has no rule for url terms"),
        coverage);
  }

  @Test
  void assess_addressAndPortTogether_isUnsupportedWithExtractorReason() {
    Coverage coverage =
        assess("[ipv4-addr:value = '192.0.2.1' AND network-traffic:dst_port = 445]");

    assertEquals("unsupported", coverage.label());
  }

  @Test
  void assess_enforceableAndUnenforceableParts_isPartial() {
    Coverage coverage = assess("[ipv4-addr:value = '192.0.2.1'] OR [process:name = 'evil.exe']");

    assertEquals(
        new Coverage.Partial("process:name = 'evil.exe': no enforceable term for process:name"),
        coverage);
  }

  private Coverage assess(String pattern) {
    PatternResult.Parsed parsed = (PatternResult.Parsed) PatternParser.parse(pattern);
    Extraction extraction = TermExtractor.extract(parsed.pattern());
    return Coverage.assess(nftables, extraction, Action.BLOCK);
  }
}
