package io.bulwark.rules.ciscoios;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.input;
import static io.bulwark.rules.testing.TestInputs.prefix;
import static io.bulwark.rules.testing.TestInputs.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.testing.ShuffledInputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CiscoIosGeneratorTest {

  private final CiscoIosGenerator generator = new CiscoIosGenerator();

  @Test
  void registry_findsTheGeneratorByItsId() {
    GeneratorRegistry registry = new GeneratorRegistry(List.of(generator));

    assertEquals(generator, registry.find("cisco-ios").orElseThrow());
  }

  @Test
  void generate_duplicateIds_isInvalid() {
    GenerationResult result =
        generator.generate(input(block(4, prefix("192.0.2.1")), block(4, prefix("192.0.2.2"))));

    assertEquals(
        new GenerationResult.Invalid("cisco-ios: countermeasure 4 appears more than once"), result);
  }

  @Test
  void generate_groupOverItsLimit_isInvalidNamingCountAndLimit() {
    CiscoIosGenerator small = new CiscoIosGenerator(new CiscoIosLimits(2, 100));
    GenerationResult result =
        small.generate(
            input(block(5, prefix("192.0.2.1"), prefix("192.0.2.3"), prefix("192.0.2.5"))));

    assertEquals(
        new GenerationResult.Invalid(
            "cisco-ios: object-group BULWARK-CM5-V4 would hold 3 entries, more than the limit of"
                + " 2"),
        result);
  }

  @Test
  void generate_listOverItsLimit_isInvalidNamingCountAndLimit() {
    CiscoIosGenerator small = new CiscoIosGenerator(new CiscoIosLimits(100, 3));
    GenerationResult result = small.generate(input(block(5, prefix("192.0.2.1"), tcp(22))));

    assertEquals(
        new GenerationResult.Invalid(
            "cisco-ios: ip access-list extended BULWARK-IN would hold 4 entries, more than the"
                + " limit of 3"),
        result);
  }

  @Test
  void generate_sctpPort_isUncoveredWithReason() {
    PortTerm sctp = new PortTerm(Protocol.SCTP, 2905);
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(input(block(1, sctp))));

    assertEquals(
        List.of(new Uncovered(1, sctp, "IOS access lists match ports of tcp and udp only")),
        rules.uncovered());
    assertTrue(!rules.text().contains("2905"), rules.text());
  }

  @Test
  void generate_shuffledInput_rendersTheSameText() {
    List<Term> terms =
        new ArrayList<>(
            List.of(
                prefix("192.0.2.1"),
                prefix("10.0.0.0/8"),
                prefix("2001:db8::/32"),
                tcp(445),
                new PortTerm(Protocol.UDP, 53),
                prefix("10.9.9.9")));
    ShuffledInputs.assertOrderDoesNotMatter(terms, 7, this::text);
  }

  @Test
  void generate_nestedPrefixes_keepOnlyTheWidest() {
    String text = text(input(block(1, prefix("10.1.0.0/16"), prefix("10.0.0.0/8"))));

    assertTrue(text.contains("\n 10.0.0.0 255.0.0.0\nexit\n"), text);
    assertTrue(!text.contains("10.1.0.0"), text);
  }

  private String text(RuleInput input) {
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(input));
    IosGrammar.check(rules.text());
    return rules.text();
  }
}
