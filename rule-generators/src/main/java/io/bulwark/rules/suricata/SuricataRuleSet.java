package io.bulwark.rules.suricata;

import io.bulwark.rules.render.FileHashes;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.UrlTerm;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects the rules (without sids) and list files of one input, countermeasure by countermeasure.
 */
final class SuricataRuleSet {

  /** A rule before its sid is known: the key its sid derives from, and its text up to the sid. */
  record Rule(String key, String text) {}

  /** Application protocols whose files Suricata hashes. */
  private static final List<String> FILE_PROTOCOLS = List.of("http", "smtp", "smb");

  private final SuricataOptions options;
  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, String> lists = new TreeMap<>();

  SuricataRuleSet(SuricataOptions options) {
    this.options = options;
  }

  List<Rule> rules() {
    return rules;
  }

  /** List files by name, sorted. */
  Map<String, String> lists() {
    return lists;
  }

  void add(CountermeasureTerms cm, List<Uncovered> uncovered) {
    if (cm.action() == Action.SINKHOLE) {
      addSinkhole(cm, uncovered);
      return;
    }
    List<IpPrefix> prefixes = new ArrayList<>();
    Map<Protocol, SortedSet<Integer>> ports = new EnumMap<>(Protocol.class);
    SortedSet<DomainTerm> domains = new TreeSet<>();
    SortedSet<UrlTerm> urls = new TreeSet<>();
    Map<HashTerm.Algorithm, SortedSet<String>> hashes = new EnumMap<>(HashTerm.Algorithm.class);
    for (Term term : cm.terms()) {
      if (term instanceof IpPrefix prefix) {
        prefixes.add(prefix);
      } else if (term instanceof PortTerm port) {
        ports.computeIfAbsent(port.protocol(), p -> new TreeSet<>()).add(port.port());
      } else if (term instanceof DomainTerm domain) {
        domains.add(domain);
      } else if (term instanceof UrlTerm url && url.scheme().equals("http")) {
        urls.add(url);
      } else if (FileHashes.matchable(term)) {
        HashTerm hash = (HashTerm) term;
        hashes.computeIfAbsent(hash.algorithm(), a -> new TreeSet<>()).add(hash.hex());
      } else {
        uncovered.add(new Uncovered(cm.countermeasureId(), term, reason(term)));
      }
    }
    String action = cm.action() == Action.BLOCK ? "drop" : "alert";
    String cmName = "cm" + cm.countermeasureId();
    addresses(action, cmName, IpPrefixes.normalise(prefixes));
    ports.forEach((protocol, set) -> ports(action, cmName, protocol, set));
    domains(action, cmName, domains);
    urls.forEach(url -> url(action, cmName, url));
    hashes.forEach((algorithm, set) -> hashes(action, cmName, algorithm, set));
  }

  /**
   * A sinkhole countermeasure: Suricata sees DNS queries (and TLS SNI) for its names and alerts on
   * them, but cannot change the answer, so its domains are enforced in part; its other terms not.
   */
  private void addSinkhole(CountermeasureTerms cm, List<Uncovered> uncovered) {
    SortedSet<DomainTerm> domains = new TreeSet<>();
    for (Term term : cm.terms()) {
      if (term instanceof DomainTerm domain) {
        domains.add(domain);
        uncovered.add(Uncovered.inPart(cm.countermeasureId(), term, SINKHOLE_DETECTED));
      } else {
        uncovered.add(
            new Uncovered(
                cm.countermeasureId(), term, Countermeasures.notSinkholed(SuricataGenerator.ID, term)));
      }
    }
    domains("alert", "cm" + cm.countermeasureId(), domains);
  }

  /** What Suricata does with the domains of a sinkhole countermeasure. */
  static final String SINKHOLE_DETECTED =
      "suricata alerts on DNS queries and TLS SNI for the name (detected, not redirected): the"
          + " sinkhole itself is done by a resolver";

  private static String reason(Term term) {
    if (term instanceof UrlTerm) {
      return "suricata cannot see the path of an https URL; matching its host would block more";
    }
    if (term instanceof HashTerm) {
      return "suricata has no file keyword for SHA-512";
    }
    return "suricata has no rule for " + term.kind() + " terms";
  }

  private void addresses(String action, String cm, List<IpPrefix> prefixes) {
    int size = options.maxAddressesPerRule();
    for (int start = 0, part = 1; start < prefixes.size(); start += size, part++) {
      List<IpPrefix> chunk = prefixes.subList(start, Math.min(prefixes.size(), start + size));
      StringBuilder group = new StringBuilder("[");
      chunk.forEach(p -> group.append(group.length() > 1 ? "," : "").append(p));
      group.append(']');
      add(
          cm + " ip-src " + part,
          action
              + " ip "
              + group
              + " any -> any any (msg:\"bulwark "
              + cm
              + " ip-src "
              + part
              + "\";");
      add(
          cm + " ip-dst " + part,
          action
              + " ip any any -> "
              + group
              + " any (msg:\"bulwark "
              + cm
              + " ip-dst "
              + part
              + "\";");
    }
  }

  private void ports(String action, String cm, Protocol protocol, SortedSet<Integer> ports) {
    StringBuilder group = new StringBuilder("[");
    ports.forEach(p -> group.append(group.length() > 1 ? "," : "").append(p));
    group.append(']');
    String name = protocol.keyword();
    add(
        cm + " " + name,
        action
            + " "
            + name
            + " any any -> any "
            + group
            + " (msg:\"bulwark "
            + cm
            + " "
            + name
            + " port\";");
  }

  private void domains(String action, String cm, SortedSet<DomainTerm> domains) {
    if (domains.isEmpty()) {
      return;
    }
    if (domains.size() > options.datasetThreshold()) {
      datasets(action, cm, domains);
      return;
    }
    for (DomainTerm domain : domains) {
      String match =
          "; dotprefix; content:"
              + SuricataContent.quote("." + domain.name())
              + "; endswith; nocase;";
      add(
          cm + " dns " + domain,
          action
              + " dns any any -> any any (msg:\"bulwark "
              + cm
              + " dns "
              + domain
              + "\"; dns.query"
              + match);
      add(
          cm + " sni " + domain,
          action
              + " tls any any -> any any (msg:\"bulwark "
              + cm
              + " sni "
              + domain
              + "\"; tls.sni"
              + match);
    }
  }

  /**
   * Writes the domains to one dataset and, per label count k among them, a {@code dns.query} and a
   * {@code tls.sni} rule that look up the last k labels of the lower-cased name. A dataset only
   * matches whole values, so cutting the name to the depth of the listed names is what makes a
   * listed name match its subdomains too: {@code a.b.evil.example} cut to two labels is {@code
   * evil.example}. The regular expression matches from the leftmost label boundary, since any start
   * inside a label could start one character earlier.
   */
  private void datasets(String action, String cm, SortedSet<DomainTerm> domains) {
    String set = "bulwark-" + cm + "-domain";
    StringBuilder list = new StringBuilder();
    SortedSet<Integer> depths = new TreeSet<>();
    for (DomainTerm domain : domains) {
      list.append(SuricataContent.datasetLine(domain.name())).append('\n');
      depths.add(domain.name().split("\\.", -1).length);
    }
    lists.put(set + ".lst", list.toString());
    String lookup = "; dataset:isset," + set + ",type string,load " + set + ".lst;";
    for (int depth : depths) {
      String cut =
          "; to_lowercase; pcrexform:\"([^.]+(?:[.][^.]+){" + (depth - 1) + "})$\"" + lookup;
      String labels = " list " + depth + " labels";
      add(
          cm + " dns" + labels,
          action
              + " dns any any -> any any (msg:\"bulwark "
              + cm
              + " dns"
              + labels
              + "\"; dns.query"
              + cut);
      add(
          cm + " sni" + labels,
          action
              + " tls any any -> any any (msg:\"bulwark "
              + cm
              + " sni"
              + labels
              + "\"; tls.sni"
              + cut);
    }
  }

  private void url(String action, String cm, UrlTerm url) {
    String port = url.port() == 0 ? "any" : Integer.toString(url.port());
    String host = url.authority().replaceFirst(":[0-9]+$", "");
    byte[] uri = SuricataContent.percentDecode(url.pathAndQuery());
    add(
        cm + " url " + url,
        action
            + " http any any -> any "
            + port
            + " (msg:\"bulwark "
            + cm
            + " url "
            + host
            + "\"; http.host; content:"
            + SuricataContent.quote(host)
            + "; startswith; endswith; nocase; http.uri; content:"
            + SuricataContent.quote(uri)
            + "; startswith; endswith;");
  }

  private void hashes(
      String action, String cm, HashTerm.Algorithm algorithm, SortedSet<String> hex) {
    String keyword = "file" + algorithm.keyword();
    String file = "bulwark-" + cm + "-" + algorithm.keyword() + ".txt";
    lists.put(file, String.join("\n", hex) + "\n");
    for (String protocol : FILE_PROTOCOLS) {
      add(
          cm + " " + keyword + " " + protocol,
          action
              + " "
              + protocol
              + " any any -> any any (msg:\"bulwark "
              + cm
              + " "
              + keyword
              + "\"; "
              + keyword
              + ":"
              + file
              + ";");
    }
  }

  private void add(String key, String text) {
    rules.add(new Rule(key, text));
  }
}
