package io.bulwark.rules.junos;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.input;
import static io.bulwark.rules.testing.TestInputs.prefix;
import static io.bulwark.rules.testing.TestInputs.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.testing.DeltaPairs;
import io.bulwark.rules.testing.RandomRuleInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Applying full(N) and then the delta to a model of the candidate configuration, and committing,
 * gives the same state as full(N+1), term order included.
 */
class JunosDeltaTest {

  private final JunosGenerator generator = new JunosGenerator();

  @Test
  void between_everyPairOfGoldenCases_reachesTheFullConfiguration() {
    DeltaPairs.everyGoldenPair("junos", this::assertDeltaReaches);
  }

  @Test
  void between_randomGenerations_reachTheFullConfiguration() {
    DeltaPairs.randomGenerations(139, this::assertDeltaReaches);
  }

  @Test
  void between_equalInputs_isEmpty() {
    RuleInput input = new RandomRuleInputs(3).next(1);

    assertEquals("", delta(input, new RuleInput(2, input.countermeasures())));
  }

  @Test
  void between_changedPortsAndANewCountermeasure_areExactCommands() {
    RuleInput from = input(block(2, prefix("192.0.2.1"), tcp(22)));
    RuleInput to =
        input(block(1, prefix("198.51.100.0/24")), block(2, prefix("192.0.2.1"), tcp(23)));

    assertEquals(
        """
set policy-options prefix-list bulwark-cm1-v4 198.51.100.0/24
set firewall family inet filter bulwark-in term cm1-src from source-prefix-list bulwark-cm1-v4
set firewall family inet filter bulwark-in term cm1-src then discard
insert firewall family inet filter bulwark-in term cm1-src before term cm2-src
set firewall family inet filter bulwark-in term cm1-dst from destination-prefix-list \
bulwark-cm1-v4
set firewall family inet filter bulwark-in term cm1-dst then discard
insert firewall family inet filter bulwark-in term cm1-dst before term cm2-src
delete firewall family inet filter bulwark-in term cm2-tcp from destination-port 22
set firewall family inet filter bulwark-in term cm2-tcp from destination-port 23
delete firewall family inet6 filter bulwark-in term cm2-tcp from destination-port 22
set firewall family inet6 filter bulwark-in term cm2-tcp from destination-port 23
""",
        delta(from, to));
  }

  @Test
  void between_actionChange_recreatesTheTermsInTheirNewPlace() {
    RuleInput from = input(block(1, prefix("192.0.2.1")), block(2, prefix("192.0.2.2")));
    RuleInput to =
        new RuleInput(
            2,
            List.of(
                new CountermeasureTerms(1, Action.ALERT, List.of(prefix("192.0.2.1"))),
                block(2, prefix("192.0.2.2"))));

    assertDeltaReaches(from, to);
  }

  private void assertDeltaReaches(RuleInput from, RuleInput to) {
    String delta = delta(from, to);
    JunosGrammar.check(delta);
    String reached = new JunosDevice().apply(full(from)).apply(delta).commit();

    assertEquals(new JunosDevice().apply(full(to)).commit(), reached, "delta:\n" + delta);
  }

  private String full(RuleInput input) {
    return assertInstanceOf(GenerationResult.Rules.class, generator.generate(input)).text();
  }

  private static String delta(RuleInput from, RuleInput to) {
    return assertInstanceOf(GenerationResult.Rules.class, JunosDelta.between(from, to)).text();
  }
}
