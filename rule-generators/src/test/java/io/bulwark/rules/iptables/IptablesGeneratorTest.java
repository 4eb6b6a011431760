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
import java.util.Map;
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

  @Test
  void delta_portAdded_isOneIpsetAddCommand() {
    RuleInput from = ports(1, 53);
    RuleInput to = ports(2, 53, 123);

    GenerationResult.Rules delta = (GenerationResult.Rules) new IptablesGenerator().delta(from, to);

    assertEquals(Map.of(IptablesGenerator.DELTA_FILE, "add bw-cm6-udp 123\n"), delta.files());
  }

  @Test
  void delta_newSet_isTheFullNextRuleSet() {
    RuleInput from = ports(1, 53);
    RuleInput to =
        new RuleInput(
            2,
            List.of(
                new CountermeasureTerms(
                    6,
                    Action.BLOCK,
                    List.of(new PortTerm(Protocol.UDP, 53), new PortTerm(Protocol.TCP, 53)))));

    IptablesGenerator generator = new IptablesGenerator();
    assertEquals(generator.generate(to), generator.delta(from, to));
  }

  private static RuleInput ports(long generation, int... ports) {
    List<Term> terms = new java.util.ArrayList<>();
    for (int port : ports) {
      terms.add(new PortTerm(Protocol.UDP, port));
    }
    return new RuleInput(generation, List.of(new CountermeasureTerms(6, Action.BLOCK, terms)));
  }
}
