package io.bulwark.rules.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesGeneratorTest {

  @Test
  void generate_setOverLimit_isInvalidNamingSetAndCount() {
    List<Term> ports =
        List.of(
            new PortTerm(Protocol.UDP, 53),
            new PortTerm(Protocol.UDP, 123),
            new PortTerm(Protocol.UDP, 161));
    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(6, Action.BLOCK, ports)));

    GenerationResult result = new IptablesGenerator(2).generate(input);

    assertEquals(
        new GenerationResult.Invalid(
            "iptables: set bw-cm6-udp would hold 3 elements, more than the limit of 2"),
        result);
  }

  @Test
  void generate_longestId_keepsSetNamesWithinIpsetLimit() {
    CountermeasureTerms cm =
        new CountermeasureTerms(
            Long.MAX_VALUE, Action.ALERT, List.of(new PortTerm(Protocol.SCTP, 2905)));

    GenerationResult.Rules rules =
        (GenerationResult.Rules) new IptablesGenerator().generate(new RuleInput(1, List.of(cm)));

    String set = rules.files().get(IptablesGenerator.IPSET_FILE).lines().findFirst().orElseThrow();
    assertEquals("create bw-cm9223372036854775807-sctp bitmap:port range 1-65535", set);
    assertEquals(true, "bw-cm9223372036854775807-sctp".length() <= 31);
  }
}
