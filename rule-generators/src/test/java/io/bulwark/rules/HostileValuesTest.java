package io.bulwark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.term.UrlTerm;
import io.bulwark.rules.testing.StatementOracle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property-style test: random hostile strings (newlines, quotes, semicolons, braces, NUL, Unicode
 * look-alikes, bidi controls, strings of 10 KB and more) go through the term parsers; whatever
 * parses goes through every registered generator. The output of each must consist of exactly the
 * statements its valid terms call for, every line of the target's grammar ({@link
 * StatementOracle}), and each term must be either rendered or reported as uncovered. A fixed seed
 * keeps failures reproducible; the seed and round are in every message.
 */
class HostileValuesTest {

  private static final long SEED = 0xB01_3A4BL;
  private static final int ROUNDS = 300;

  private static final String[] PIECES = {
    "evil",
    "example",
    "com",
    ".",
    "-",
    "\n",
    "\r",
    "\t",
    "'",
    "\"",
    ";",
    "{",
    "}",
    "\u0000",
    "\u0430",
    "\u0435",
    "\u3002",
    "\uff0e",
    "\u202e",
    "\u200b",
    "\u00ad",
    "xn--",
    "*",
    "/",
    "?",
    "#",
    "%",
    "%0a",
    "%2F",
    "%zz",
    ":",
    "@",
    "[",
    "]",
    "::1",
    "192.0.2.",
    "1",
    "0",
    "a",
    "\u00fc",
    " ",
    "\\",
    "|",
    "$(",
    "`",
    "<",
    ">",
    "COMMIT\n",
    "\n*filter\n",
    "drop",
    "sid:1;",
    "}\n",
    "table inet x {",
    "http://",
    "https://",
    "CNAME .",
    "\u0131",
    "\ud83d\ude00",
    "-j ACCEPT"
  };

  private static final String[] LABELS = {
    "evil",
    "Ex-Ample",
    "\u0430pple",
    "b\u00fccher",
    "xn--bcher-kva",
    "EVIL",
    "a1",
    "0day",
    "x",
    "p\u0430yp\u0430l",
    "\uff45\uff56\uff49\uff4c",
    "a".repeat(63)
  };

  private final Random random = new Random(SEED);
  private final GeneratorRegistry registry = GeneratorRegistry.load();

  @Test
  void generate_hostileValues_giveExactlyTheExpectedStatementsOnEveryTarget() {
    for (int round = 0; round < ROUNDS; round++) {
      List<Term> terms = new ArrayList<>(termsFromHostileStrings());
      long id = 1 + random.nextInt(1_000_000);
      Action action = random.nextInt(4) == 0 ? Action.ALERT : Action.BLOCK;
      RuleInput input = new RuleInput(round, List.of(new CountermeasureTerms(id, action, terms)));
      for (String target : registry.ids()) {
        RuleGenerator generator = registry.find(target).orElseThrow();
        String where = "seed " + SEED + " round " + round + " target " + target;
        GenerationResult result = generator.generate(input);
        GenerationResult.Rules rules =
            assertInstanceOf(GenerationResult.Rules.class, result, where);
        for (Map.Entry<String, String> file : rules.files().entrySet()) {
          assertPrintable(file.getValue(), where + " file " + file.getKey());
        }
        StatementOracle.check(target, input.countermeasures().get(0), rules, where);
      }
    }
  }

  /** Control characters other than newline and tab never reach a rule file. */
  private static void assertPrintable(String text, String where) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F);
      assertTrue(allowed, where + ": character " + (int) c + " at " + i);
    }
  }

  private Set<Term> termsFromHostileStrings() {
    Set<Term> terms = new LinkedHashSet<>();
    int count = 1 + random.nextInt(12);
    for (int i = 0; i < count; i++) {
      String hostile = hostile();
      valid(DomainTerm.parse(hostile), terms);
      valid(DomainTerm.parse(plausibleDomain()), terms);
      valid(UrlTerm.parse(hostile), terms);
      valid(UrlTerm.parse("http://" + plausibleDomain() + "/" + hostile), terms);
      valid(UrlTerm.parse("https://" + plausibleDomain() + "/" + hostile), terms);
      valid(IpPrefix.parse(hostile), terms);
      valid(IpPrefix.parse(random.nextInt(224) + ".0." + random.nextInt(256) + ".0/24"), terms);
      HashTerm.Algorithm algorithm =
          HashTerm.Algorithm.values()[random.nextInt(HashTerm.Algorithm.values().length)];
      valid(HashTerm.parse(algorithm, hex(algorithm.hexLength())), terms);
      valid(HashTerm.parse(algorithm, hostile), terms);
    }
    return terms;
  }

  /** A name that is often valid (look-alikes and upper case included) and sometimes hostile. */
  private String plausibleDomain() {
    StringBuilder name = new StringBuilder();
    int labels = 1 + random.nextInt(3);
    for (int i = 0; i < labels; i++) {
      name.append(LABELS[random.nextInt(LABELS.length)]).append('.');
    }
    if (random.nextInt(5) == 0) {
      name.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return name.append(random.nextBoolean() ? "example" : "xn--p1ai").toString();
  }

  private String hostile() {
    StringBuilder text = new StringBuilder();
    int pieces = 1 + random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    if (random.nextInt(40) == 0) {
      String unit = text.toString();
      while (text.length() < 10_240) {
        text.append(unit);
      }
    }
    return text.toString();
  }

  private String hex(int length) {
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append("0123456789abcdefABCDEF".charAt(random.nextInt(22)));
    }
    return hex.toString();
  }

  private static <T extends Term> void valid(TermParse<T> parsed, Set<Term> terms) {
    if (parsed instanceof TermParse.Valid<T> valid) {
      terms.add(valid.term());
    }
  }

  @Test
  void oracle_knowsEveryRegisteredTargetOfThisModule() {
    for (String target :
        List.of("nftables", "iptables", "yara", "rpz", "clamav", "suricata", "pan-edl")) {
      assertTrue(registry.ids().contains(target), target);
      assertTrue(StatementOracle.knows(target), target);
    }
    assertEquals(true, registry.ids().size() >= 7);
  }
}
