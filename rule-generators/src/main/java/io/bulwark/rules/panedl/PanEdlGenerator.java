package io.bulwark.rules.panedl;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.UrlTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Renders countermeasures as Palo Alto Networks External Dynamic List text files: {@code
 * bulwark-ip.txt}, {@code bulwark-domain.txt} and {@code bulwark-url.txt}, one entry per line.
 *
 * <p>A list longer than {@code maxEntries} continues in {@code bulwark-ip-2.txt}, {@code -3}, and
 * so on; the first file of each kind is always present, possibly empty, so a firewall's EDL source
 * never disappears. A list holds entries only, no comments, sorted: normalised prefixes (IPv4
 * first), domains as {@code name} and {@code *.name} (kept in one file), and URLs as {@code
 * host[:port]/path} without scheme, since PAN-OS URL entries carry none.
 *
 * <p>An EDL has no action of its own: the firewall's policy that references it blocks. ALERT
 * countermeasures are therefore uncovered, as are ports and hashes, URLs with a query string
 * (PAN-OS URL entries match host and path), and URLs whose path contains {@code *}, which PAN-OS
 * reads as a wildcard.
 *
 * <p>The domains of SINKHOLE countermeasures go to their own list, {@code
 * bulwark-sinkhole-domain.txt} (written only when it has entries, continued like the others), for
 * an anti-spyware profile whose DNS policy has the action sinkhole; the sinkhole address is part of
 * that profile, so the countermeasure's own destination is not used and the domains are reported
 * {@link Uncovered#inPart in part}. Other terms of a SINKHOLE countermeasure are uncovered, as a
 * sinkhole enforces domain names only. More files than {@code maxFiles} (PAN-OS allows 30 EDL sources per firewall)
 * give {@link GenerationResult.Invalid}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PanEdlGenerator implements RuleGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "pan-edl";

  /** Default entries per file. */
  public static final int DEFAULT_MAX_ENTRIES = 50_000;

  /** Default number of files of all kinds together. */
  public static final int DEFAULT_MAX_FILES = 30;

  private final int maxEntries;
  private final int maxFiles;

  /** A generator with the default limits. */
  public PanEdlGenerator() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_FILES);
  }

  /**
   * A generator with limits.
   *
   * @param maxEntries the most entries in one file, at least 2 (a domain takes two lines)
   * @param maxFiles the most files of all kinds together, at least 3
   */
  public PanEdlGenerator(int maxEntries, int maxFiles) {
    if (maxEntries < 2 || maxFiles < 3) {
      throw new IllegalArgumentException("maxEntries must be at least 2 and maxFiles at least 3");
    }
    this.maxEntries = maxEntries;
    this.maxFiles = maxFiles;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    Optional<GenerationResult.Invalid> problem = Countermeasures.problem(input);
    if (problem.isPresent()) {
      return problem.get();
    }
    List<Uncovered> uncovered = new ArrayList<>();
    List<IpPrefix> prefixes = new ArrayList<>();
    SortedSet<DomainTerm> domains = new TreeSet<>();
    SortedSet<DomainTerm> sinkholed = new TreeSet<>();
    SortedSet<String> urls = new TreeSet<>();
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      for (Term term : cm.terms()) {
        String reason = reason(cm, term);
        if (cm.action() == Action.SINKHOLE && term instanceof DomainTerm domain) {
          sinkholed.add(domain);
          uncovered.add(Uncovered.inPart(cm.countermeasureId(), term, SINKHOLE_LISTED));
        } else if (reason != null) {
          uncovered.add(new Uncovered(cm.countermeasureId(), term, reason));
        } else if (term instanceof IpPrefix prefix) {
          prefixes.add(prefix);
        } else if (term instanceof DomainTerm domain) {
          domains.add(domain);
        } else {
          UrlTerm url = (UrlTerm) term;
          urls.add(url.authority() + url.path());
        }
      }
    }
    List<List<String>> ip = new ArrayList<>();
    for (IpPrefix prefix : IpPrefixes.normalise(prefixes)) {
      ip.add(List.of(prefix.toString()));
    }
    List<List<String>> domain = edlDomains(domains);
    List<List<String>> sinkhole = edlDomains(sinkholed);
    List<List<String>> url = new ArrayList<>();
    urls.forEach(entry -> url.add(List.of(entry)));
    Map<String, String> files = new LinkedHashMap<>();
    split("bulwark-ip", ip, files);
    split("bulwark-domain", domain, files);
    split("bulwark-url", url, files);
    if (!sinkhole.isEmpty()) {
      split("bulwark-sinkhole-domain", sinkhole, files);
    }
    if (files.size() > maxFiles) {
      int entries = ip.size() + 2 * (domain.size() + sinkhole.size()) + url.size();
      return new GenerationResult.Invalid(
          ID
              + ": "
              + entries
              + " entries need "
              + files.size()
              + " lists, more than the limit of "
              + maxFiles);
    }
    return GenerationResult.Rules.ofFiles(files, uncovered);
  }

  /** What the firewall does with the domains of a sinkhole countermeasure. */
  static final String SINKHOLE_LISTED =
      "pan-edl lists the name on bulwark-sinkhole-domain.txt, for an anti-spyware profile whose DNS"
          + " policy sinkholes that list; the sinkhole address itself is configured on the firewall,"
          + " not taken from the countermeasure";

  private static String reason(CountermeasureTerms cm, Term term) {
    if (cm.action() == Action.SINKHOLE) {
      return Countermeasures.notSinkholed(ID, term);
    }
    if (cm.action() != Action.BLOCK) {
      return "an external dynamic list has no action; only BLOCK countermeasures are listed";
    }
    if (term instanceof UrlTerm url) {
      if (url.query() != null) {
        return "PAN-OS URL entries match host and path; the query string cannot be listed";
      }
      if (url.path().indexOf('*') >= 0) {
        return "PAN-OS reads '*' in a URL entry as a wildcard";
      }
      return null;
    }
    if (term instanceof IpPrefix || term instanceof DomainTerm) {
      return null;
    }
    return "an external dynamic list has no entry for " + term.kind() + " terms";
  }

  /** Writes {@code groups} (lines that stay together) into as many files as the limit needs. */
  /** Each name and its subdomains, as PAN-OS domain lists write them. */
  private static List<List<String>> edlDomains(SortedSet<DomainTerm> names) {
    List<List<String>> out = new ArrayList<>();
    for (DomainTerm name : names) {
      out.add(List.of(name.name(), "*." + name.name()));
    }
    return out;
  }

  private void split(String stem, List<List<String>> groups, Map<String, String> files) {
    StringBuilder file = new StringBuilder();
    int lines = 0;
    int part = 1;
    for (List<String> group : groups) {
      if (lines + group.size() > maxEntries) {
        files.put(name(stem, part++), file.toString());
        file.setLength(0);
        lines = 0;
      }
      for (String line : group) {
        file.append(line).append('\n');
      }
      lines += group.size();
    }
    files.put(name(stem, part), file.toString());
  }

  private static String name(String stem, int part) {
    return part == 1 ? stem + ".txt" : stem + "-" + part + ".txt";
  }
}
