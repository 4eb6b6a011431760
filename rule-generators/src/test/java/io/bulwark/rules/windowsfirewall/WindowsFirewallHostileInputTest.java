package io.bulwark.rules.windowsfirewall;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.testing.HostileNetworkInputs;
import org.junit.jupiter.api.Test;

/**
 * Values built to inject either fail to parse as terms, or come out as exactly the statements one
 * prefix or port gives, all accepted by the strict grammar.
 */
class WindowsFirewallHostileInputTest {

  private final WindowsFirewallGenerator generator = new WindowsFirewallGenerator();

  @Test
  void hostileAddresses_areInvalidOrRenderedAsExactlyTheExpectedStatements() {
    HostileNetworkInputs.assertAddressesInvalidOrRendered(this::assertRendersExactly);
  }

  @Test
  void hostileAddressesInPatterns_yieldNoTermOrExactlyTheParsedOne() {
    HostileNetworkInputs.assertPatternAddressesNoneOrParsed(this::assertRendersExactly);
  }

  private void assertRendersExactly(IpPrefix prefix, String value) {
    PortTerm port = new PortTerm(Protocol.TCP, 22);
    PowerShellGrammar.Script script = PowerShellGrammar.check(text(block(1, prefix, port)));

    // preamble, end of the wanted list and removal (5) + three names + three rules of five lines
    assertEquals(5 + 3 + 15, script.statements(), value);
    assertTrue(
        script
            .rules()
            .get(0)
            .settings()
            .contains("-RemoteAddress '" + WindowsFirewallGenerator.spell(prefix) + "' "),
        value);
  }

  @Test
  void hostilePorts_areInvalidOrRenderedAsOneRule() {
    HostileNetworkInputs.assertUdpPortsInvalidOrRendered(
          (port, value) -> {
          String text = text(block(1, port));

          assertEquals(5 + 1 + 5, PowerShellGrammar.check(text).statements(), text);
          assertTrue(text.contains(" -Protocol UDP -LocalPort '" + value + "' "), text);
        });
  }

  private String text(CountermeasureTerms... cms) {
    return assertInstanceOf(GenerationResult.Rules.class, generator.generate(input(cms))).text();
  }
}
