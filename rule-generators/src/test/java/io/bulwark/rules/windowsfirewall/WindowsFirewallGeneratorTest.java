package io.bulwark.rules.windowsfirewall;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.input;
import static io.bulwark.rules.testing.TestInputs.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.testing.ShuffledInputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsFirewallGeneratorTest {

  private final WindowsFirewallGenerator generator = new WindowsFirewallGenerator();

  @Test
  void registry_findsTheGeneratorByItsId() {
    GeneratorRegistry registry = new GeneratorRegistry(List.of(generator));

    assertEquals(generator, registry.find("windows-firewall").orElseThrow());
  }

  @Test
  void generate_duplicateIds_isInvalid() {
    GenerationResult result =
        generator.generate(input(block(4, prefix("192.0.2.1")), block(4, prefix("192.0.2.2"))));

    assertEquals(
        new GenerationResult.Invalid("windows-firewall: countermeasure 4 appears more than once"),
        result);
  }

  @Test
  void generate_manyAddresses_areSplitIntoRulesUnderTheLimit() {
    WindowsFirewallGenerator small = new WindowsFirewallGenerator(new WindowsFirewallLimits(2, 50));
    List<Term> terms = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      terms.add(prefix("192.0.2." + i));
    }
    String text = text(small, input(block(1, terms)));
    PowerShellGrammar.Script script = PowerShellGrammar.check(text);

    assertEquals(
        List.of(
            "bulwark-cm1-addr-in-1",
            "bulwark-cm1-addr-in-2",
            "bulwark-cm1-addr-in-3",
            "bulwark-cm1-addr-out-1",
            "bulwark-cm1-addr-out-2",
            "bulwark-cm1-addr-out-3"),
        script.wanted());
    assertTrue(text.contains("-RemoteAddress '192.0.2.3', '192.0.2.4' -Profile"), text);
    assertTrue(text.contains("-RemoteAddress '192.0.2.5' -Profile"), text);
  }

  @Test
  void generate_moreRulesThanTheLimit_isInvalidNamingCountAndLimit() {
    WindowsFirewallGenerator small = new WindowsFirewallGenerator(new WindowsFirewallLimits(1, 3));
    GenerationResult result =
        small.generate(input(block(1, prefix("192.0.2.1"), prefix("192.0.2.2"))));

    assertEquals(
        new GenerationResult.Invalid(
            "windows-firewall: the group would hold 4 rules, more than the limit of 3"),
        result);
  }

  @Test
  void generate_alertCountermeasure_isUncoveredTermByTerm() {
    IpPrefix address = prefix("192.0.2.1");
    GenerationResult.Rules rules =
        assertInstanceOf(
            GenerationResult.Rules.class,
            generator.generate(input(new CountermeasureTerms(9, Action.ALERT, List.of(address)))));

    assertEquals(
        List.of(
            new Uncovered(
                9,
                address,
                "windows-firewall has no alert action: a rule"
                    + " blocks or allows, and logging is per profile")),
        rules.uncovered());
    assertEquals(List.of(), PowerShellGrammar.check(rules.text()).wanted());
  }

  @Test
  void generate_sctpPort_isUncoveredWithReason() {
    PortTerm sctp = new PortTerm(Protocol.SCTP, 2905);
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(input(block(1, sctp))));

    assertEquals(
        List.of(new Uncovered(1, sctp, "Windows Firewall matches ports of tcp and udp" + " only")),
        rules.uncovered());
  }

  @Test
  void quote_doublesEverySingleQuoteKindPowerShellEndsAStringWith() {
    assertEquals("'a''b\u2019\u2019c\u2018\u2018'", PowerShellScript.quote("a'b\u2019c\u2018"));
  }

  @Test
  void generate_shuffledInput_rendersTheSameText() {
    List<Term> terms =
        new ArrayList<>(
            List.of(
                prefix("192.0.2.1"),
                prefix("10.0.0.0/8"),
                prefix("2001:db8::/32"),
                new PortTerm(Protocol.TCP, 445),
                new PortTerm(Protocol.UDP, 53)));
    ShuffledInputs.assertOrderDoesNotMatter(terms, 5, input -> text(generator, input));
  }

  private static String text(WindowsFirewallGenerator generator, RuleInput input) {
    return assertInstanceOf(GenerationResult.Rules.class, generator.generate(input)).text();
  }
}
