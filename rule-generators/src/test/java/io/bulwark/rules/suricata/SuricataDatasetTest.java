package io.bulwark.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Evaluates the dataset rules as Suricata does (lower-case the name, keep the first group of the
 * {@code pcrexform} expression, look it up in the base64 list) for query names, so that the cut to
 * the last labels is shown to match a listed name and its subdomains and nothing else.
 */
class SuricataDatasetTest {

  private static final Pattern CUT = Pattern.compile("pcrexform:\"([^\"]+)\"");

  @ParameterizedTest
  @CsvSource({
    "evil.example, true",
    "EVIL.Example, true",
    "www.evil.example, true",
    "a.b.c.evil.example, true",
    "notevil.example, false",
    "evil.example.org, false",
    "example, false",
    "login.bank.deep.example, true",
    "x.login.bank.deep.example, true",
    "bank.deep.example, false",
    "xlogin.bank.deep.example, false"
  })
  void datasetRules_queryName_matchListedNamesAndTheirSubdomainsOnly(String query, boolean hit) {
    List<Term> domains = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      domains.add(new DomainTerm("d" + i + ".example"));
    }
    domains.add(new DomainTerm("evil.example"));
    domains.add(new DomainTerm("login.bank.deep.example"));
    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, domains)));
    GenerationResult.Rules rules = (GenerationResult.Rules) new SuricataGenerator().generate(input);
    Set<String> listed =
        rules
            .files()
            .get("bulwark-cm1-domain.lst")
            .lines()
            .map(line -> new String(Base64.getDecoder().decode(line), StandardCharsets.US_ASCII))
            .collect(Collectors.toSet());
    List<Pattern> cuts =
        rules
            .text()
            .lines()
            .filter(line -> line.contains("dns.query"))
            .map(CUT::matcher)
            .filter(Matcher::find)
            .map(found -> Pattern.compile(found.group(1)))
            .toList();
    assertEquals(2, cuts.size(), "one dns rule per label count: 2 and 4");

    boolean matched = false;
    for (Pattern cut : cuts) {
      Matcher name = cut.matcher(query.toLowerCase(Locale.ROOT));
      matched |= name.find() && listed.contains(name.group(1));
    }

    if (hit) {
      assertTrue(matched, query);
    } else {
      assertFalse(matched, query);
    }
  }
}
