package io.bulwark.rules.nftables;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermExtractor;
import io.bulwark.rules.testing.ShuffledInputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftablesGeneratorTest {

  private final NftablesGenerator generator = new NftablesGenerator();

  @Test
  void id_isNftables() {
    assertEquals("nftables", generator.id());
  }

  @Test
  void generate_duplicateCountermeasureIds_isInvalid() {
    GenerationResult result =
        generator.generate(
            new RuleInput(
                1, List.of(block(4, prefix("192.0.2.1")), block(4, prefix("192.0.2.2")))));

    assertEquals(new GenerationResult.Invalid("countermeasure 4 appears more than once"), result);
  }

  @Test
  void generate_nonPositiveId_isInvalid() {
    assertEquals(
        new GenerationResult.Invalid("countermeasure id 0 is not positive"),
        generator.generate(new RuleInput(1, List.of(block(0, prefix("192.0.2.1"))))));
  }

  @Test
  void generate_shuffledInput_rendersTheSameText() {
    List<Term> terms =
        new ArrayList<>(
            List.of(
                prefix("192.0.2.1"),
                prefix("10.0.0.0/8"),
                prefix("2001:db8::/32"),
                new PortTerm(Protocol.UDP, 53),
                new PortTerm(Protocol.TCP, 445),
                new PortTerm(Protocol.TCP, 139),
                prefix("10.9.9.9")));
    ShuffledInputs.assertOrderDoesNotMatter(terms, 42, input -> rules(input.countermeasures()));
  }

  @Test
  void generate_overlappingPrefixes_areNormalisedInTheSet() {
    String text =
        rules(
            List.of(
                block(
                    1,
                    List.of(prefix("10.1.0.0/16"), prefix("10.0.0.0/8"), prefix("10.0.0.0/8")))));

    assertTrue(text.contains("\t\telements = { 10.0.0.0/8 }\n"), text);
  }

  @Test
  void generate_differentGenerations_giveTheSameDigest() {
    List<CountermeasureTerms> countermeasures = List.of(block(1, List.of(prefix("192.0.2.1"))));
    GenerationResult.Rules first =
        assertInstanceOf(
            GenerationResult.Rules.class, generator.generate(new RuleInput(1, countermeasures)));
    GenerationResult.Rules second =
        assertInstanceOf(
            GenerationResult.Rules.class, generator.generate(new RuleInput(99, countermeasures)));

    assertEquals(first.digest(), second.digest());
  }

  @Test
  void generate_hostilePatternValue_neverReachesTheOutput() {
    String hostile = "192.0.2.1\" drop; flush ruleset; add rule inet bulwark input accept \"";
    PatternResult parsed =
        PatternParser.parse(
            "[ipv4-addr:value = '" + hostile + "' OR ipv4-addr:value = '192.0.2.9']");
    Extraction extraction =
        TermExtractor.extract(assertInstanceOf(PatternResult.Parsed.class, parsed).pattern());
    String text = rules(List.of(block(1, extraction.terms())));

    assertEquals(1, extraction.unenforceable().size());
    assertFalse(text.contains("flush"), text);
    assertFalse(text.contains("accept \""), text);
    assertFalse(text.contains("192.0.2.1"), text);
  }

  @Test
  void generate_alertOnly_neverDrops() {
    String text =
        rules(
            List.of(
                new CountermeasureTerms(
                    8,
                    Action.ALERT,
                    List.of(prefix("192.0.2.1"), new PortTerm(Protocol.TCP, 22)))));

    assertFalse(text.contains("drop"), text);
  }

  private String rules(List<CountermeasureTerms> countermeasures) {
    GenerationResult result = generator.generate(new RuleInput(5, countermeasures));
    GenerationResult.Rules rules = assertInstanceOf(GenerationResult.Rules.class, result);
    assertEquals(List.of(), rules.uncovered());
    return rules.text();
  }
}
