package io.bulwark.rules.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.suricata.SuricataOptions;
import io.bulwark.rules.suricata.SuricataRuleChecker;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.HashTerm.Algorithm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.UrlTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Knows, for one countermeasure of IP, domain, URL and hash terms, which statements each target of
 * this module must write, and checks a rule set against that: every line of the target's grammar,
 * exactly the expected number of value-carrying lines with exactly the expected values, and every
 * other term reported as uncovered.
 */
public final class StatementOracle {

  private static final Map<String, List<Pattern>> GRAMMARS =
      Map.of(
          "nftables",
          patterns(
              "table inet bulwark \\{",
              "\\tset cm\\d+_v[46](net)? \\{",
              "\\t\\ttype ipv[46]_addr",
              "\\t\\tflags interval",
              "\\t\\telements = \\{ [0-9a-f.:/]+(,| \\})",
              "\\t\\t\\t[0-9a-f.:/]+(,| \\})",
              "\\t\\}",
              "",
              "\\tchain (input|forward|output) \\{",
              "\\t\\ttype filter hook (input|forward|output) priority filter - 10; policy accept;",
              "\\t\\tip6? [sd]addr @cm\\d+_v[46](net)? (counter drop|log prefix \"bulwark cm\\d+ \""
                  + " counter) comment \"cm\\d+\"",
              "\\}"),
          "iptables",
          patterns(
              "==> bulwark\\.(ipset|iptables|ip6tables) <==",
              "create bw-cm\\d+-v[46] hash:net family inet6? maxelem \\d+",
              "add bw-cm\\d+-v[46] [0-9a-f.:/]+",
              "\\*filter",
              ":BULWARK-(INPUT|FORWARD|OUTPUT) - \\[0:0\\]",
              "-A BULWARK-(INPUT|FORWARD|OUTPUT) -m set --match-set bw-cm\\d+-v[46] (src|dst) -m"
                  + " comment --comment cm\\d+ (-j DROP|-j LOG --log-prefix \"bw cm\\d+ \")",
              "COMMIT"),
          "yara",
          patterns(
              "import \"hash\"",
              "",
              "rule bulwark_cm\\d+ : (block|alert)",
              "\\{",
              "\\tmeta:",
              "\\t\\tcountermeasure = \\d+",
              "\\tcondition:",
              "\\t\\thash\\.(md5|sha1|sha256)\\(0, filesize\\) == \"[0-9a-f]+\"( or)?",
              "\\}"),
          "rpz",
          patterns(
              "\\$ORIGIN rpz\\.bulwark\\.",
              "\\$TTL 300",
              "@ SOA localhost\\. hostmaster\\.localhost\\. \\d+ 3600 600 86400 300",
              "@ NS localhost\\.",
              "(\\*\\.)?[a-z0-9.-]+ CNAME (\\.|rpz-passthru\\.) ; cm\\d+"),
          "clamav",
          patterns(
              "==> bulwark\\.h[ds]b <==",
              "([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}):\\*:Bulwark\\.(Block|Alert)\\.cm\\d+:73"),
          "pan-edl",
          patterns(
              "==> bulwark-(ip|domain|url)\\.txt <==",
              "[0-9a-f.:/]+",
              "(\\*\\.)?[a-z0-9.-]+",
              "(\\[[0-9a-f:.]+\\]|[a-z0-9.-]+)(:[0-9]+)?/[!-~&&[^?*#]]*"));

  private StatementOracle() {}

  /** Returns true when this oracle knows the statements of {@code target}. */
  public static boolean knows(String target) {
    return GRAMMARS.containsKey(target) || target.equals("suricata");
  }

  /** Asserts that {@code rules} is exactly what {@code target} must make of {@code cm}. */
  public static void check(
      String target, CountermeasureTerms cm, GenerationResult.Rules rules, String where) {
    if (!knows(target)) {
      return;
    }
    Expected expected = new Expected(cm.terms());
    if (target.equals("suricata")) {
      List<String> problems = SuricataRuleChecker.problems(rules.files(), SuricataOptions.DEFAULTS);
      assertEquals(List.of(), problems, where);
      long https = expected.urls.stream().filter(u -> u.scheme().equals("https")).count();
      long http = expected.urls.size() - https;
      int ipRules = expected.prefixes.isEmpty() ? 0 : 2 * ((expected.prefixes.size() + 999) / 1000);
      int domainRules = expected.domains.size() > 50 ? 2 : 2 * expected.domains.size();
      long hashRules =
          3 * expected.algorithms().stream().filter(a -> a != Algorithm.SHA512).count();
      long lines = rules.files().get("bulwark.rules").lines().count();
      assertEquals(ipRules + domainRules + http + hashRules, lines, where);
      assertEquals(https + expected.count(Algorithm.SHA512), rules.uncovered().size(), where);
      return;
    }
    for (String line : rules.text().split("\n", -1)) {
      if (line.isEmpty() && rules.text().endsWith(line)) {
        continue;
      }
      boolean known = GRAMMARS.get(target).stream().anyMatch(p -> p.matcher(line).matches());
      assertTrue(known, where + ": line outside the grammar: " + line);
    }
    switch (target) {
      case "nftables" -> {
        // Addresses and wider prefixes sit in separate sets: compare as sorted lists.
        assertEquals(
            expected.prefixTexts(false).stream().sorted().toList(),
            nftElements(rules.text()).stream().sorted().toList(),
            where);
        assertEquals(expected.all - expected.prefixes.size(), rules.uncovered().size(), where);
      }
      case "iptables" -> {
        assertEquals(
            expected.prefixTexts(true), values(rules.text(), "add bw-cm\\d+-v[46] "), where);
        assertEquals(expected.all - expected.prefixes.size(), rules.uncovered().size(), where);
      }
      case "yara" -> {
        int hashes = expected.hashes.size() - expected.count(Algorithm.SHA512);
        assertEquals(hashes, count(rules.text(), "\t\thash."), where);
        assertEquals(expected.all - hashes, rules.uncovered().size(), where);
      }
      case "clamav" -> {
        int hashes = expected.hashes.size() - expected.count(Algorithm.SHA512);
        assertEquals(hashes, count(rules.text(), ":*:Bulwark."), where);
        assertEquals(expected.all - hashes, rules.uncovered().size(), where);
      }
      case "rpz" -> {
        Set<String> names = new TreeSet<>();
        expected.domains.stream()
            .filter(d -> d.name().length() <= 239)
            .forEach(d -> names.add(d.name()));
        assertEquals(
            names,
            values(rules.text(), "").stream()
                .filter(l -> l.contains(" CNAME ") && !l.startsWith("*."))
                .map(l -> l.substring(0, l.indexOf(' ')))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
            where);
        assertEquals(2 * names.size(), count(rules.text(), " CNAME "), where);
        assertEquals(expected.all - names.size(), rules.uncovered().size(), where);
      }
      case "pan-edl" -> checkPanEdl(cm, expected, rules, where);
      default -> throw new IllegalStateException(target);
    }
  }

  private static void checkPanEdl(
      CountermeasureTerms cm, Expected expected, GenerationResult.Rules rules, String where) {
    Map<String, String> files = rules.files();
    if (cm.action() != Action.BLOCK) {
      assertEquals(expected.all, rules.uncovered().size(), where);
      assertEquals("", files.get("bulwark-ip.txt") + files.get("bulwark-url.txt"), where);
      return;
    }
    assertEquals(
        expected.prefixTexts(false),
        List.copyOf(files.get("bulwark-ip.txt").lines().toList()),
        where);
    assertEquals(
        2L * expected.domains.size(), files.get("bulwark-domain.txt").lines().count(), where);
    List<UrlTerm> listable =
        expected.urls.stream().filter(u -> u.query() == null && u.path().indexOf('*') < 0).toList();
    // http and https URLs of one host and path are one entry, since entries carry no scheme.
    long entries = listable.stream().map(u -> u.authority() + u.path()).distinct().count();
    assertEquals(entries, files.get("bulwark-url.txt").lines().count(), where);
    long listed = expected.prefixes.size() + expected.domains.size() + listable.size();
    assertEquals(expected.all - listed, rules.uncovered().size(), where);
  }

  private static List<String> nftElements(String text) {
    List<String> elements = new ArrayList<>();
    var matcher = Pattern.compile("elements = \\{ ([^}]*) \\}").matcher(text);
    while (matcher.find()) {
      for (String element : matcher.group(1).split(",")) {
        elements.add(element.trim());
      }
    }
    return elements;
  }

  private static List<String> values(String text, String prefix) {
    Pattern pattern = Pattern.compile(prefix);
    List<String> values = new ArrayList<>();
    for (String line : text.split("\n")) {
      var matcher = pattern.matcher(line);
      if (matcher.lookingAt()) {
        values.add(line.substring(matcher.end()));
      }
    }
    return values;
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  private static List<Pattern> patterns(String... regexes) {
    return java.util.Arrays.stream(regexes).map(Pattern::compile).toList();
  }

  /** The distinct terms of one countermeasure, by kind. */
  private static final class Expected {
    final List<IpPrefix> prefixes;
    final List<DomainTerm> domains = new ArrayList<>();
    final List<UrlTerm> urls = new ArrayList<>();
    final List<HashTerm> hashes = new ArrayList<>();
    final int all;

    Expected(List<Term> terms) {
      List<Term> distinct = terms.stream().distinct().toList();
      List<IpPrefix> raw = new ArrayList<>();
      for (Term term : distinct) {
        if (term instanceof IpPrefix p) {
          raw.add(p);
        } else if (term instanceof DomainTerm d) {
          domains.add(d);
        } else if (term instanceof UrlTerm u) {
          urls.add(u);
        } else if (term instanceof HashTerm h) {
          hashes.add(h);
        }
      }
      prefixes = IpPrefixes.normalise(raw);
      // Terms contained in another prefix are rendered by it, so count them as covered.
      all = distinct.size() - (raw.size() - prefixes.size());
    }

    int count(Algorithm algorithm) {
      return (int) hashes.stream().filter(h -> h.algorithm() == algorithm).count();
    }

    Set<Algorithm> algorithms() {
      Set<Algorithm> set = new TreeSet<>();
      hashes.forEach(h -> set.add(h.algorithm()));
      return set;
    }

    /** Prefix texts in rendering order: IPv4 first, each family sorted; /0 split when asked. */
    List<String> prefixTexts(boolean splitDefault) {
      List<String> texts = new ArrayList<>();
      for (IpPrefix prefix : prefixes) {
        if (splitDefault && prefix.length() == 0) {
          boolean v4 = prefix.family() == IpPrefix.Family.V4;
          texts.add(v4 ? "0.0.0.0/1" : "::/1");
          texts.add(v4 ? "128.0.0.0/1" : "8000::/1");
        } else {
          texts.add(prefix.toString());
        }
      }
      return texts;
    }
  }
}
