package io.bulwark.agent.testing;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule sets as the controller would send them: the text of a real generator's output. Values are
 * addresses, CIDRs, {@code tcp/445}-style ports, {@code md5:HEX} / {@code sha256:HEX} hashes or
 * {@code domain:NAME}.
 */
public final class GeneratedRules {

  private GeneratedRules() {}

  /** One countermeasure. */
  public record Countermeasure(long id, Action action, List<String> values) {}

  public static Countermeasure block(long id, String... values) {
    return new Countermeasure(id, Action.BLOCK, List.of(values));
  }

  /** The rule set's text, as the bundle carries it. */
  public static String text(RuleGenerator generator, Countermeasure... countermeasures) {
    List<CountermeasureTerms> input = new ArrayList<>();
    for (Countermeasure cm : countermeasures) {
      List<Term> terms = new ArrayList<>();
      for (String value : cm.values()) {
        terms.add(term(value));
      }
      input.add(new CountermeasureTerms(cm.id(), cm.action(), terms));
    }
    GenerationResult result = generator.generate(new RuleInput(1, input));
    if (!(result instanceof GenerationResult.Rules rules)) {
      throw new AssertionError("the generator refused the input: " + result);
    }
    return rules.text();
  }

  /** {@code count} distinct IPv4 /32 addresses from 10.0.0.1 up. */
  public static String[] addresses(int count) {
    String[] values = new String[count];
    for (int i = 0; i < count; i++) {
      int n = i + 1;
      values[i] = "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }
    return values;
  }

  private static Term term(String value) {
    TermParse<? extends Term> parse;
    if (value.startsWith("md5:")) {
      parse = HashTerm.parse(HashTerm.Algorithm.MD5, value.substring(4));
    } else if (value.startsWith("sha256:")) {
      parse = HashTerm.parse(HashTerm.Algorithm.SHA256, value.substring(7));
    } else if (value.startsWith("domain:")) {
      parse = DomainTerm.parse(value.substring(7));
    } else if (value.startsWith("tcp/") || value.startsWith("udp/")) {
      Protocol protocol = value.startsWith("tcp/") ? Protocol.TCP : Protocol.UDP;
      parse = PortTerm.of(protocol, Long.parseLong(value.substring(4)));
    } else {
      parse = IpPrefix.parse(value);
    }
    if (!(parse instanceof TermParse.Valid<? extends Term> valid)) {
      throw new AssertionError("not a valid term: " + value + ": " + parse);
    }
    return valid.term();
  }
}
