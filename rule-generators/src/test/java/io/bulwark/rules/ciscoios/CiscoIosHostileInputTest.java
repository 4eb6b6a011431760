package io.bulwark.rules.ciscoios;

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
class CiscoIosHostileInputTest {

  private final CiscoIosGenerator generator = new CiscoIosGenerator();

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

    // group (3) + its list: header, 2 remarks, 2 group entries, port, permit, exit (8) + the
    // other list: header, remark, port, permit, exit (5)
    assertEquals(16, IosGrammar.check(text), value + " gave\n" + text);
    assertTrue(text.contains("\n " + IosSyntax.groupEntry(prefix) + "\n"), text);
  }

  @Test
  void hostilePorts_areInvalidOrRenderedAsOneEntryPerList() {
    HostileNetworkInputs.assertUdpPortsInvalidOrRendered(
          (port, value) -> {
          String text = text(block(1, port));

          assertEquals(10, IosGrammar.check(text), text);
          assertTrue(text.contains(" 10 deny udp any any eq " + value + "\n"), text);
        });
  }

  private String text(io.bulwark.rules.spi.CountermeasureTerms... cms) {
    GenerationResult result = generator.generate(input(cms));
    return assertInstanceOf(GenerationResult.Rules.class, result).text();
  }
}
