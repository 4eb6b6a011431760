package io.bulwark.rules.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.TermExtractor;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision of every registered target on a SINKHOLE countermeasure: RPZ enforces its domains,
 * Suricata and PAN-OS EDL enforce them in part, the packet filters and file scanners not at all; no
 * target enforces its other terms. Each reason names the target and the action.
 */
class SinkholeCoverageTest {

  private static final GeneratorRegistry REGISTRY = GeneratorRegistry.load();
  private static final Sinkhole DESTINATION = Sinkhole.parse("sinkhole.example.net");
  private static final Set<String> IN_PART = Set.of("suricata", "pan-edl");

  static Stream<String> targets() {
    return REGISTRY.ids().stream();
  }

  @Test
  void registry_holdsTheTenTargets() {
    assertEquals(10, REGISTRY.ids().size(), REGISTRY.ids().toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void assess_domainsUnderSinkhole_isTheTargetsDocumentedDecision(String id) {
    Coverage coverage =
        assess(id, "[domain-name:value = 'evil.example'] OR [domain-name:value = 'c2.example']");

    if (id.equals("rpz")) {
      assertEquals(new Coverage.Enforced(), coverage);
      return;
    }
    String reason =
        coverage instanceof Coverage.Partial p ? p.reason() : ((Coverage.Unsupported) coverage).reason();
    assertEquals(IN_PART.contains(id) ? "partial" : "unsupported", coverage.label(), reason);
    assertTrue(reason.contains(id) && reason.contains("sinkhole"), reason);
    assertTrue(reason.contains("evil.example") && reason.contains("c2.example"), reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void assess_addressesAndHashesUnderSinkhole_isUnsupportedEverywhere(String id) {
    Coverage coverage =
        assess(
            id,
            "[ipv4-addr:value = '203.0.113.5'] OR"
                + " [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");

    Coverage.Unsupported unsupported = assertInstanceOf(Coverage.Unsupported.class, coverage);
    assertTrue(
        unsupported.reason().contains(id + " does not enforce sinkhole for ip-prefix terms"),
        unsupported.reason());
    assertTrue(unsupported.reason().contains("domain names only"), unsupported.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void generate_sinkholeNextToBlock_leavesTheBlockAsItWas(String id) {
    RuleGenerator generator = REGISTRY.find(id).orElseThrow();
    CountermeasureTerms block = new CountermeasureTerms(1, Action.BLOCK, extract(MIXED).terms());
    CountermeasureTerms sinkhole =
        new CountermeasureTerms(
            2, Action.SINKHOLE, extract("[ipv4-addr:value = '203.0.113.5']").terms(), DESTINATION);

    GenerationResult.Rules alone =
        assertInstanceOf(
            GenerationResult.Rules.class, generator.generate(new RuleInput(2, List.of(block))));
    GenerationResult.Rules both =
        assertInstanceOf(
            GenerationResult.Rules.class,
            generator.generate(new RuleInput(2, List.of(block, sinkhole))));

    assertEquals(alone.text(), both.text(), "an address under sinkhole changes no rule");
  }

  private static final String MIXED =
      "[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'blocked.example']";

  private static Coverage assess(String id, String pattern) {
    return Coverage.assess(
        REGISTRY.find(id).orElseThrow(), extract(pattern), Action.SINKHOLE, DESTINATION);
  }

  private static Extraction extract(String pattern) {
    return TermExtractor.extract(((PatternResult.Parsed) PatternParser.parse(pattern)).pattern());
  }
}
