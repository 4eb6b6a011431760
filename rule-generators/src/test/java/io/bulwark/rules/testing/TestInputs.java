package io.bulwark.rules.testing;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.List;

/** Short builders for the inputs of generator tests; terms are parsed, so a typo fails loudly. */
public final class TestInputs {

  private TestInputs() {}

  /** Generation 1 with {@code cms}, in the order given. */
  public static RuleInput input(CountermeasureTerms... cms) {
    return new RuleInput(1, List.of(cms));
  }

  /** A BLOCK countermeasure {@code id} with {@code terms}. */
  public static CountermeasureTerms block(long id, Term... terms) {
    return new CountermeasureTerms(id, Action.BLOCK, List.of(terms));
  }

  /** A BLOCK countermeasure {@code id} with {@code terms}. */
  public static CountermeasureTerms block(long id, List<Term> terms) {
    return new CountermeasureTerms(id, Action.BLOCK, terms);
  }

  /** A TCP destination port. */
  public static PortTerm tcp(int port) {
    return new PortTerm(Protocol.TCP, port);
  }

  /** The prefix {@code text} parses as; throws when it does not parse. */
  public static IpPrefix prefix(String text) {
    TermParse<IpPrefix> parsed = IpPrefix.parse(text);
    if (!(parsed instanceof TermParse.Valid<IpPrefix> valid)) {
      throw new IllegalArgumentException(text + " is not a prefix: " + parsed);
    }
    return valid.term();
  }
}
