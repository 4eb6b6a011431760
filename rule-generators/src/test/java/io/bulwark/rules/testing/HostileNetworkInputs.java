package io.bulwark.rules.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The checks every address-and-port target runs over {@link HostileValues}: each value is either
 * refused as a term or parsed, and whatever parses is handed to the target's own assertion that it
 * renders as exactly the expected statements.
 */
public final class HostileNetworkInputs {

  private HostileNetworkInputs() {}

  /**
   * Parses every hostile value as an address; most must be refused, and each one that parses goes
   * to {@code rendersExactly} with the value it came from.
   */
  public static void assertAddressesInvalidOrRendered(BiConsumer<IpPrefix, String> rendersExactly) {
    int rendered = 0;
    int rejected = 0;
    for (String value : HostileValues.all()) {
      TermParse<IpPrefix> parsed = IpPrefix.parse(value);
      if (parsed instanceof TermParse.Invalid<IpPrefix>) {
        rejected++;
        continue;
      }
      IpPrefix prefix = ((TermParse.Valid<IpPrefix>) parsed).term();
      rendersExactly.accept(prefix, value);
      rendered++;
    }
    assertTrue(rendered >= 6 && rejected > 1000, rendered + " rendered, " + rejected + " rejected");
  }

  /**
   * Puts every hostile value in a pattern: it yields no term, or exactly the address it parses as,
   * which then goes to {@code rendersExactly}.
   */
  public static void assertPatternAddressesNoneOrParsed(
      BiConsumer<IpPrefix, String> rendersExactly) {
    for (String value : HostileValues.all()) {
      List<Term> terms = HostileValues.throughPattern(value);
      TermParse<IpPrefix> parsed = IpPrefix.parse(value);
      if (parsed instanceof TermParse.Valid<IpPrefix> valid) {
        assertEquals(List.of(valid.term()), terms, value);
        rendersExactly.accept(valid.term(), value);
      } else {
        assertEquals(List.of(), terms, value);
      }
    }
  }

  /**
   * Makes a UDP port of every hostile number: those outside 1 to 65535 must be refused, and each
   * other one goes to {@code rendersExactly} with the number.
   */
  public static void assertUdpPortsInvalidOrRendered(BiConsumer<PortTerm, Long> rendersExactly) {
    for (long value : HostileValues.ports()) {
      TermParse<PortTerm> parsed = PortTerm.of(Protocol.UDP, value);
      if (parsed instanceof TermParse.Invalid<PortTerm>) {
        assertTrue(value < 1 || value > 65535, "rejected " + value);
        continue;
      }
      rendersExactly.accept(((TermParse.Valid<PortTerm>) parsed).term(), value);
    }
  }
}
