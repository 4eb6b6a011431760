package io.bulwark.rules.junos;

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

class JunosGeneratorTest {

  private final JunosGenerator generator = new JunosGenerator();

  @Test
  void registry_findsTheGeneratorByItsId() {
    assertEquals(generator, new GeneratorRegistry(List.of(generator)).find("junos").orElseThrow());
  }

  @Test
  void generate_duplicateIds_isInvalid() {
    GenerationResult result =
        generator.generate(input(block(4, prefix("192.0.2.1")), block(4, prefix("192.0.2.2"))));

    assertEquals(
        new GenerationResult.Invalid("junos: countermeasure 4 appears more than once"), result);
  }

  @Test
  void generate_prefixListOverItsLimit_isInvalidNamingCountAndLimit() {
    JunosGenerator small = new JunosGenerator(new JunosLimits(2, 100));
    GenerationResult result =
        small.generate(
            input(block(5, prefix("2001:db8::1"), prefix("2001:db8::3"), prefix("2001:db8::5"))));

    assertEquals(
        new GenerationResult.Invalid(
            "junos: prefix-list bulwark-cm5-v6 would hold 3 prefixes, more than the limit of 2"),
        result);
  }

  @Test
  void generate_filterOverItsLimit_isInvalidNamingCountAndLimit() {
    JunosGenerator small = new JunosGenerator(new JunosLimits(100, 3));
    GenerationResult result = small.generate(input(block(5, prefix("192.0.2.1"), tcp(22))));

    assertEquals(
        new GenerationResult.Invalid(
            "junos: filter firewall family inet filter bulwark-in would hold 4 terms, more than the"
                + " limit of 3"),
        result);
  }

  @Test
  void generate_sctpPort_isUncoveredWithReason() {
    PortTerm sctp = new PortTerm(Protocol.SCTP, 2905);
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(input(block(1, sctp))));

    assertEquals(
        List.of(new Uncovered(1, sctp, "Junos filters match ports of tcp and udp only")),
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
  void generate_singleAddress_isWrittenWithItsLength() {
    String text = text(input(block(1, prefix("192.0.2.1"), prefix("::ffff:192.0.2.1"))));

    assertTrue(text.contains(" bulwark-cm1-v4 192.0.2.1/32\n"), text);
    assertTrue(text.contains(" bulwark-cm1-v6 ::ffff:c000:201/128\n"), text);
  }

  private String text(RuleInput input) {
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(input));
    JunosGrammar.check(rules.text());
    return rules.text();
  }
}
