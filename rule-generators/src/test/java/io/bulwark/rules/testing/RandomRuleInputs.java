package io.bulwark.rules.testing;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random inputs drawn from small pools of ids, prefixes and ports, so that two draws share much and
 * differ in a little, as consecutive generations do. Seeded by the caller for reproducible runs.
 */
public final class RandomRuleInputs {

  private static final String[] PREFIXES = {
    "192.0.2.1", "192.0.2.2", "192.0.2.0/24", "198.51.100.0/25", "198.51.100.128/25",
    "203.0.113.7", "10.0.0.0/8", "10.1.0.0/16", "2001:db8::1", "2001:db8::/32",
    "2001:db8:1::/48", "::ffff:192.0.2.9", "fe80::1"
  };

  private final Random random;

  /**
   * @param seed the seed of the draws
   */
  public RandomRuleInputs(long seed) {
    this.random = new Random(seed);
  }

  /** Draws an input of up to six countermeasures with ids 1 to 8. */
  public RuleInput next(long generation) {
    List<CountermeasureTerms> cms = new ArrayList<>();
    for (long id = 1; id <= 8; id++) {
      if (random.nextInt(4) == 0) {
        continue;
      }
      List<Term> terms = new ArrayList<>();
      int count = random.nextInt(6);
      for (int i = 0; i < count; i++) {
        terms.add(term());
      }
      Action action = random.nextInt(5) == 0 ? Action.ALERT : Action.BLOCK;
      cms.add(new CountermeasureTerms(id, action, terms));
    }
    return new RuleInput(generation, cms);
  }

  private Term term() {
    if (random.nextInt(3) == 0) {
      Protocol protocol = Protocol.values()[random.nextInt(Protocol.values().length)];
      int[] ports = {22, 53, 139, 445, 3389};
      return new PortTerm(protocol, ports[random.nextInt(ports.length)]);
    }
    String text = PREFIXES[random.nextInt(PREFIXES.length)];
    return ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }
}
