package io.bulwark.rules.windowsfirewall;

import io.bulwark.rules.render.DeviceAddresses;
import io.bulwark.rules.render.NetworkTerms;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * Renders countermeasures as an idempotent PowerShell script for Windows Defender Firewall.
 *
 * <p>The script lists the names of the rules it wants, removes every rule of the group {@code
 * Bulwark} not in that list, and then creates each wanted rule with {@code New-NetFirewallRule} or,
 * when it exists, brings it to the wanted state with {@code Set-NetFirewallRule}. Running it twice
 * leaves the firewall as running it once, so the full script is also the delta. Per countermeasure
 * {@code N}: rules {@code bulwark-cmN-addr-in-K} and {@code -addr-out-K} block its prefixes as
 * {@code -RemoteAddress} both ways, and {@code bulwark-cmN-tcp-in-K} and {@code -udp-in-K} block
 * its ports as inbound {@code -LocalPort}; each list is split into rules {@code K = 1, 2, ...} of
 * at most {@link WindowsFirewallLimits#maxEntriesPerRule()} entries.
 *
 * <p>Windows Firewall rules block or allow and cannot log a single rule's matches, so every term of
 * an ALERT countermeasure is {@link Uncovered}, as are SCTP ports and any term kind it cannot
 * match. Windows Firewall cannot redirect names: every term of a SINKHOLE countermeasure is {@link
 * Uncovered} too (see {@link Countermeasures#notSinkholed}). Two countermeasures with one id, an id
 * below 1, or more rules than {@link WindowsFirewallLimits#maxRules()} give {@link
 * GenerationResult.Invalid}.
 *
 * <p>Pure, stateless and thread-safe.
 */
public final class WindowsFirewallGenerator implements RuleGenerator {
  /** The fixed name of the script file, which scripts rely on. */
  public static final String FILE = "bulwark.ps1";


  /** The id this generator is registered under. */
  public static final String ID = "windows-firewall";

  private final WindowsFirewallLimits limits;

  /** Uses {@link WindowsFirewallLimits#DEFAULTS}; the constructor {@code ServiceLoader} calls. */
  public WindowsFirewallGenerator() {
    this(WindowsFirewallLimits.DEFAULTS);
  }

  /**
   * @param limits the size limits to enforce, never null
   */
  public WindowsFirewallGenerator(WindowsFirewallLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    Set<Long> seen = new HashSet<>();
    for (CountermeasureTerms cm : input.countermeasures()) {
      if (cm.countermeasureId() < 1) {
        return new GenerationResult.Invalid(
            ID + ": countermeasure id " + cm.countermeasureId() + " is not positive");
      }
      if (!seen.add(cm.countermeasureId())) {
        return new GenerationResult.Invalid(
            ID + ": countermeasure " + cm.countermeasureId() + " appears more than once");
      }
    }
    List<CountermeasureTerms> ordered = new ArrayList<>(input.countermeasures());
    ordered.sort(Comparator.comparingLong(CountermeasureTerms::countermeasureId));
    List<Uncovered> uncovered = new ArrayList<>();
    List<FirewallRule> rules = new ArrayList<>();
    for (CountermeasureTerms cm : ordered) {
      rules(cm, rules, uncovered);
    }
    if (rules.size() > limits.maxRules()) {
      return new GenerationResult.Invalid(
          ID
              + ": the group would hold "
              + rules.size()
              + " rules, more than the limit of "
              + limits.maxRules());
    }
    return GenerationResult.Rules.ofFile(FILE, PowerShellScript.write(rules), uncovered);
  }

  private void rules(CountermeasureTerms cm, List<FirewallRule> rules, List<Uncovered> uncovered) {
    long id = cm.countermeasureId();
    if (Countermeasures.leaveOutSinkhole(ID, cm, uncovered)) {
      return;
    }
    if (cm.action() != Action.BLOCK) {
      for (Term term : cm.terms()) {
        uncovered.add(
            new Uncovered(
                id,
                term,
                "windows-firewall has no alert action: a rule blocks or allows, and logging is per"
                    + " profile"));
      }
      return;
    }
    NetworkTerms terms =
        NetworkTerms.tcpUdp(
            cm, ID, "Windows Firewall matches ports of tcp and udp only", uncovered);
    List<IpPrefix> prefixes = terms.prefixes();
    Map<Protocol, SortedSet<Integer>> ports = terms.ports();
    List<String> addresses =
        IpPrefixes.normalise(prefixes).stream().map(WindowsFirewallGenerator::spell).toList();
    split(rules, id, "addr", "in", "Inbound", "Any", List.of(), addresses);
    split(rules, id, "addr", "out", "Outbound", "Any", List.of(), addresses);
    for (Map.Entry<Protocol, SortedSet<Integer>> entry : ports.entrySet()) {
      List<String> numbers = entry.getValue().stream().map(String::valueOf).toList();
      String keyword = entry.getKey().keyword();
      split(
          rules,
          id,
          keyword,
          "in",
          "Inbound",
          keyword.toUpperCase(java.util.Locale.ROOT),
          numbers,
          List.of());
    }
  }

  private void split(
      List<FirewallRule> rules,
      long id,
      String kind,
      String way,
      String direction,
      String protocol,
      List<String> ports,
      List<String> addresses) {
    List<String> values = ports.isEmpty() ? addresses : ports;
    int per = limits.maxEntriesPerRule();
    for (int start = 0, part = 1; start < values.size(); start += per, part++) {
      List<String> chunk = values.subList(start, Math.min(values.size(), start + per));
      String suffix = "cm" + id + "-" + kind + "-" + way + "-" + part;
      rules.add(
          new FirewallRule(
              "bulwark-" + suffix,
              "Bulwark " + suffix.replace('-', ' '),
              direction,
              protocol,
              ports.isEmpty() ? List.of() : List.copyOf(chunk),
              ports.isEmpty() ? List.copyOf(chunk) : List.of()));
    }
  }

  /**
   * Spells a prefix as {@code -RemoteAddress} takes it, with IPv6 in hexadecimal groups only (the
   * canonical text keeps a dotted tail for IPv4-mapped addresses).
   */
  static String spell(IpPrefix prefix) {
    String text = prefix.toString();
    int slash = text.indexOf('/');
    return DeviceAddresses.address(prefix) + (slash < 0 ? "" : text.substring(slash));
  }
}
