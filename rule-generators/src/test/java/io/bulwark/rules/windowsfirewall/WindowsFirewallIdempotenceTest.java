package io.bulwark.rules.windowsfirewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.testing.RandomRuleInputs;
import org.junit.jupiter.api.Test;

/**
 * Running the script of generation N+1 on a firewall that ran generation N gives the firewall a
 * fresh run gives, running it twice changes nothing, and rules of other groups are left alone.
 */
class WindowsFirewallIdempotenceTest {

  private final WindowsFirewallGenerator generator = new WindowsFirewallGenerator();

  @Test
  void script_afterAnyEarlierGeneration_convergesToTheFreshState() {
    RandomRuleInputs inputs = new RandomRuleInputs(3389);
    PowerShellGrammar.Script previous = script(inputs.next(1));
    for (int generation = 2; generation < 300; generation++) {
      PowerShellGrammar.Script next = script(inputs.next(generation));
      FirewallModel updated = new FirewallModel().foreign("rdp", "allow").run(previous).run(next);
      FirewallModel fresh = new FirewallModel().foreign("rdp", "allow").run(next);

      assertEquals(fresh.state(), updated.state());
      assertEquals(fresh.state(), fresh.run(next).state());
      assertTrue(updated.state().contains("rdp=Entry[group=Other, settings=allow]"));
      previous = next;
    }
  }

  private PowerShellGrammar.Script script(RuleInput input) {
    String text = assertInstanceOf(GenerationResult.Rules.class, generator.generate(input)).text();
    return PowerShellGrammar.check(text);
  }
}
