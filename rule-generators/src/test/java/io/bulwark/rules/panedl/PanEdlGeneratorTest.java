package io.bulwark.rules.panedl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PanEdlGeneratorTest {

  @Test
  void generate_listOverEntryLimit_isSplitIntoNumberedFiles() {
    List<Term> terms = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      terms.add(ip("192.0.2." + i));
    }
    terms.add(new DomainTerm("a.example"));
    terms.add(new DomainTerm("b.example"));

    GenerationResult.Rules rules = generate(new PanEdlGenerator(3, 30), terms);

    assertEquals(
        List.of(
            "bulwark-ip.txt",
            "bulwark-ip-2.txt",
            "bulwark-domain.txt",
            "bulwark-domain-2.txt",
            "bulwark-url.txt"),
        List.copyOf(rules.files().keySet()));
    assertEquals("192.0.2.1\n192.0.2.2\n192.0.2.3\n", rules.files().get("bulwark-ip.txt"));
    assertEquals("192.0.2.4\n192.0.2.5\n", rules.files().get("bulwark-ip-2.txt"));
    assertEquals("a.example\n*.a.example\n", rules.files().get("bulwark-domain.txt"));
    assertEquals("b.example\n*.b.example\n", rules.files().get("bulwark-domain-2.txt"));
  }

  @Test
  void generate_moreFilesThanLimit_isInvalidNamingTheCounts() {
    List<Term> terms = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      terms.add(ip("192.0.2." + i));
    }

    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, terms)));
    GenerationResult result = new PanEdlGenerator(2, 5).generate(input);

    assertEquals(
        new GenerationResult.Invalid("pan-edl: 7 entries need 6 lists, more than the limit of 5"),
        result);
  }

  private static GenerationResult.Rules generate(PanEdlGenerator generator, List<Term> terms) {
    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, terms)));
    return (GenerationResult.Rules) generator.generate(input);
  }

  private static IpPrefix ip(String text) {
    return ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }
}
