package io.bulwark.rules.suricata;

import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders countermeasures as Suricata rules, {@code bulwark.rules}, plus the list files they load.
 *
 * <p>Per countermeasure N (action {@code drop} for BLOCK, {@code alert} for ALERT; ALERT first):
 *
 * <ul>
 *   <li>prefixes as address groups, one {@code ip} rule for sources and one for destinations per
 *       group of at most {@code maxAddressesPerRule};
 *   <li>ports as one rule per transport protocol with a port group;
 *   <li>each domain as a {@code dns.query} and a {@code tls.sni} rule matching the name and its
 *       subdomains ({@code dotprefix; content:".name"; endswith; nocase}); above {@code
 *       datasetThreshold} domains, one {@code type string} dataset instead, {@code
 *       bulwark-cmN-domain.lst} (base64 lines), and per label count among the names a {@code
 *       dns.query} and a {@code tls.sni} rule that lower-case the name, cut it to its last labels
 *       with {@code pcrexform} and look that up, so subdomains match as well;
 *   <li>each http URL as an {@code http} rule on {@code http.host} and the decoded {@code
 *       http.uri}, both exact; https URLs are uncovered, since only the host is visible;
 *   <li>MD5, SHA-1 and SHA-256 hashes in {@code bulwark-cmN-md5.txt} (and {@code sha1}, {@code
 *       sha256}) list files, loaded by {@code filemd5}, {@code filesha1}, {@code filesha256} rules
 *       for http, smtp and smb. SHA-512 is uncovered.
 * </ul>
 *
 * <p>A SINKHOLE countermeasure's domains get the same {@code alert} rules on {@code dns.query} and
 * {@code tls.sni}: Suricata sees the queries but cannot change the answers, so they are reported
 * {@link io.bulwark.rules.spi.Uncovered#inPart in part} (detected, not redirected). Its other terms
 * are uncovered, as a sinkhole enforces domain names only.
 *
 * <p>Every rule has {@code rev:1} and a sid in the configured range derived from what it matches
 * (see {@link SidAllocator}), so sids are unique and stay stable across generations. List files go
 * next to {@code bulwark.rules}. Values are rendered from terms, never pasted: content bytes other
 * than letters, digits and {@code /._~-=&?} are hex-escaped. More rules than sids give {@link
 * GenerationResult.Invalid}. Stateless and thread-safe.
 */
public final class SuricataGenerator implements RuleGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "suricata";

  /** The rules file. */
  public static final String FILE = "bulwark.rules";

  private final SuricataOptions options;

  /** A generator with {@link SuricataOptions#DEFAULTS}. */
  public SuricataGenerator() {
    this(SuricataOptions.DEFAULTS);
  }

  /** A generator with the given options. */
  public SuricataGenerator(SuricataOptions options) {
    this.options = options;
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
    SuricataRuleSet set = new SuricataRuleSet(options);
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      set.add(cm, uncovered);
    }
    List<SuricataRuleSet.Rule> rules = set.rules();
    if (rules.size() > options.sidCount()) {
      long last = options.sidBase() + options.sidCount() - 1;
      return Countermeasures.tooMany(
          ID, "sid range " + options.sidBase() + "-" + last, rules.size(), options.sidCount());
    }
    long[] sids =
        SidAllocator.allocate(
            rules.stream().map(SuricataRuleSet.Rule::key).toList(),
            options.sidBase(),
            options.sidCount());
    StringBuilder text = new StringBuilder(rules.size() * 120);
    for (int i = 0; i < rules.size(); i++) {
      text.append(rules.get(i).text()).append(" sid:").append(sids[i]).append("; rev:1;)\n");
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put(FILE, text.toString());
    files.putAll(set.lists());
    return GenerationResult.Rules.ofFiles(files, uncovered);
  }
}
