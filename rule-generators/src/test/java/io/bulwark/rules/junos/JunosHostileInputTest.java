package io.bulwark.rules.junos;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.input;
import static io.bulwark.rules.testing.TestInputs.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.testing.HostileNetworkInputs;
import org.junit.jupiter.api.Test;

/**
 * Values built to inject either fail to parse as terms, or come out as exactly the statements one
 * prefix or port gives, all accepted by the strict grammar.
 */
class JunosHostileInputTest {

  private final JunosGenerator generator = new JunosGenerator();

  @Test
  void hostileAddresses_areInvalidOrRenderedAsExactlyTheExpectedStatements() {
    HostileNetworkInputs.assertAddressesInvalidOrRendered(this::assertRendersExactly);
  }

  @Test
  void hostileAddressesInPatterns_yieldNoTermOrExactlyTheParsedOne() {
    HostileNetworkInputs.assertPatternAddressesNoneOrParsed(this::assertRendersExactly);
  }

  private void assertRendersExactly(IpPrefix prefix, String value) {
    String text = text(block(1, prefix), block(2, tcp(22)));

    // prefix list (1) + its filter: src (2), dst (2), port (3), accept-all (1) + the other
    // filter: port (3), accept-all (1)
    assertEquals(13, JunosGrammar.check(text), value + " gave\n" + text);
    assertTrue(
        text.contains(
            "-v"
                + (prefix.family() == IpPrefix.Family.V4 ? 4 : 6)
                + " "
                + JunosPlan.spell(prefix)
                + "\n"),
        text);
  }

  @Test
  void hostilePorts_areInvalidOrRenderedAsOneTermPerFilter() {
    HostileNetworkInputs.assertUdpPortsInvalidOrRendered(
          (port, value) -> {
          String text = text(block(1, port));

          assertEquals(8, JunosGrammar.check(text), text);
          assertTrue(text.contains(" term cm1-udp from destination-port " + value + "\n"), text);
        });
  }

  private String text(io.bulwark.rules.spi.CountermeasureTerms... cms) {
    GenerationResult result = generator.generate(input(cms));
    return assertInstanceOf(GenerationResult.Rules.class, result).text();
  }
}
