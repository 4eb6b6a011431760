package io.bulwark.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.testing.GoldenCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SuricataGeneratorTest {

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(SuricataGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checker_goldenRuleSets_pass(GoldenCase golden) {
    GenerationResult.Rules rules =
        (GenerationResult.Rules) new SuricataGenerator().generate(golden.input());
    assertEquals(List.of(), SuricataRuleChecker.problems(rules.files(), SuricataOptions.DEFAULTS));
  }

  @Test
  void checker_injectedOption_isReported() {
    String rule =
        "drop dns any any -> any any (msg:\"bulwark cm1 dns a.example\"; dns.query;"
            + " content:\"a\"; pcre:\"/x/\"; sid:9000001; rev:1;)\n";
    List<String> problems =
        SuricataRuleChecker.problems(Map.of("bulwark.rules", rule), SuricataOptions.DEFAULTS);
    assertEquals(List.of("line 1: unexpected or malformed option 'pcre'"), problems);
  }

  @Test
  void generate_addedDomain_keepsSidsOfExistingRules() {
    String before = rules(List.of(domain("a.example"), domain("b.example")));
    String after = rules(List.of(domain("a.example"), domain("b.example"), domain("c.example")));

    for (String line : before.split("\n")) {
      assertTrue(after.contains(line + "\n"), "sid changed for: " + line);
    }
  }

  @Test
  void generate_moreRulesThanSids_isInvalidNamingTheRange() {
    SuricataGenerator generator = new SuricataGenerator(new SuricataOptions(100, 3, 50, 10));
    List<Term> terms = List.of(domain("a.example"), domain("b.example"));
    GenerationResult result =
        generator.generate(
            new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, terms))));

    assertEquals(
        new GenerationResult.Invalid(
            "suricata: sid range 100-102 would hold 4 elements, more than the limit of 3"),
        result);
  }

  @Test
  void generate_tinySidRange_stillGivesUniqueSids() {
    SuricataOptions options = new SuricataOptions(100, 40, 50, 10);
    List<Term> terms = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      terms.add(domain("d" + i + ".example"));
    }
    GenerationResult.Rules rules =
        (GenerationResult.Rules)
            new SuricataGenerator(options)
                .generate(
                    new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, terms))));

    assertEquals(List.of(), SuricataRuleChecker.problems(rules.files(), options));
    assertNotEquals("", rules.text());
  }

  private static String rules(List<Term> terms) {
    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, terms)));
    return ((GenerationResult.Rules) new SuricataGenerator().generate(input))
        .files()
        .get(SuricataGenerator.FILE);
  }

  private static DomainTerm domain(String name) {
    return new DomainTerm(name);
  }
}
