package io.bulwark.rules.ciscoios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.testing.DeltaPairs;
import io.bulwark.rules.testing.RandomRuleInputs;
import io.bulwark.rules.testing.TestInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Applying full(N) and then the delta to a model of the device gives the same state as applying
 * full(N+1), and the model refuses every order IOS would refuse.
 */
class CiscoIosDeltaTest {

  private final CiscoIosGenerator generator = new CiscoIosGenerator();

  @Test
  void between_everyPairOfGoldenCases_reachesTheFullConfiguration() {
    DeltaPairs.everyGoldenPair("cisco-ios", this::assertDeltaReaches);
  }

  @Test
  void between_randomGenerations_reachTheFullConfiguration() {
    DeltaPairs.randomGenerations(445, this::assertDeltaReaches);
  }

  @Test
  void between_equalInputs_isEmpty() {
    RuleInput input = new RandomRuleInputs(3).next(1);

    assertEquals("", delta(input, new RuleInput(2, input.countermeasures())));
  }

  @Test
  void between_newGroup_isCreatedBeforeTheListUsesItAndOldOneDeletedAfter() {
    RuleInput from =
        TestInputs.input(
            TestInputs.block(1, TestInputs.prefix("192.0.2.1")));
    RuleInput to =
        TestInputs.input(
            TestInputs.block(2, TestInputs.prefix("192.0.2.1")));
    String delta = delta(from, to);

    int created = delta.indexOf("object-group network BULWARK-CM2-V4\n");
    int used = delta.indexOf("deny ip object-group BULWARK-CM2-V4 any\n");
    int unused = delta.indexOf(" no 10\n");
    int deleted = delta.indexOf("no object-group network BULWARK-CM1-V4\n");
    assertTrue(created >= 0 && created < used && unused < deleted, delta);
  }

  @Test
  void between_changedPortAndPrefix_touchesOnlyWhatChanged() {
    RuleInput from =
        TestInputs.input(
            TestInputs.block(
                3, TestInputs.prefix("192.0.2.1"), TestInputs.tcp(22)));
    RuleInput to =
        TestInputs.input(
            TestInputs.block(
                3, TestInputs.prefix("192.0.2.2"), TestInputs.tcp(23)));

    assertEquals(
        """
        object-group network BULWARK-CM3-V4
         host 192.0.2.2
        exit
        ip access-list resequence BULWARK-IN 10 10
        ip access-list extended BULWARK-IN
         no 30
         21 deny tcp any any eq 23
        exit
        ip access-list resequence BULWARK-IN 10 10
        ipv6 access-list resequence BULWARK-IN6 10 10
        ipv6 access-list BULWARK-IN6
         no remark bulwark cm3 block
         no sequence 10
         remark bulwark cm3 block
         sequence 1 deny tcp any any eq 23
        exit
        ipv6 access-list resequence BULWARK-IN6 10 10
        object-group network BULWARK-CM3-V4
         no host 192.0.2.1
        exit
        """,
        delta(from, to));
  }

  @Test
  void between_invalidTarget_isInvalidNamingItsGeneration() {
    RuleInput from = new RuleInput(4, List.of());
    RuleInput to =
        TestInputs.input(
            TestInputs.block(0, TestInputs.prefix("192.0.2.1")));

    assertEquals(
        new GenerationResult.Invalid(
            "cisco-ios: generation 1: countermeasure id 0 is not positive"),
        CiscoIosDelta.between(from, to));
  }

  private void assertDeltaReaches(RuleInput from, RuleInput to) {
    String full = full(from);
    String delta = delta(from, to);
    IosGrammar.check(delta);
    String reached = new IosDevice().apply(full).apply(delta).state();

    assertEquals(new IosDevice().apply(full(to)).state(), reached, "delta:\n" + delta);
  }

  private String full(RuleInput input) {
    return assertInstanceOf(GenerationResult.Rules.class, generator.generate(input)).text();
  }

  private static String delta(RuleInput from, RuleInput to) {
    return assertInstanceOf(GenerationResult.Rules.class, CiscoIosDelta.between(from, to)).text();
  }
}
