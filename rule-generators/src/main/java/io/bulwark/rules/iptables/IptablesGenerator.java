package io.bulwark.rules.iptables;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders countermeasures as an {@code ipset restore} file and {@code iptables-restore} / {@code
 * ip6tables-restore} files that match the sets with {@code -m set}.
 *
 * <p>{@code bulwark.ipset} creates, per countermeasure N, {@code bw-cmN-v4} and {@code bw-cmN-v6}
 * ({@code hash:net} with {@code maxelem} set to the configured limit) and {@code bw-cmN-tcp},
 * {@code -udp}, {@code -sctp} ({@code bitmap:port}), each only when it has elements. A /0 becomes
 * its two /1 halves, which {@code hash:net} can store. {@code bulwark.iptables} and {@code
 * bulwark.ip6tables} hold one {@code *filter} table with the chains {@code BULWARK-INPUT}, {@code
 * BULWARK-FORWARD} and {@code BULWARK-OUTPUT} and nothing else: sources are matched in INPUT,
 * destinations in OUTPUT, both in FORWARD, and destination ports (either family) in INPUT and
 * FORWARD. BLOCK rules jump to DROP, ALERT rules to LOG with prefix {@code "bw cmN "}, ALERT first.
 *
 * <p>iptables cannot redirect names, so every term of a SINKHOLE countermeasure is uncovered (see
 * {@link io.bulwark.rules.spi.Countermeasures#notSinkholed}): sinkhole is a DNS action, and its
 * other terms are enforced by no target.
 *
 * <p>Apply with {@code ipset restore} (into fresh sets, then {@code ipset swap}) before {@code
 * iptables-restore --noflush}, which flushes and refills only these chains; the jumps from the
 * built-in chains ({@code -I INPUT -j BULWARK-INPUT}) are the applier's, added once. More elements
 * in one set than the limit give {@link GenerationResult.Invalid}. Stateless and thread-safe.
 */
public final class IptablesGenerator implements DeltaGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "iptables";

  /** The ipset restore file. */
  public static final String IPSET_FILE = "bulwark.ipset";

  /** The iptables-restore file. */
  public static final String IPV4_FILE = "bulwark.iptables";

  /** The ip6tables-restore file. */
  public static final String IPV6_FILE = "bulwark.ip6tables";

  /** The ipset restore file of a delta that only changes set elements. */
  public static final String DELTA_FILE = "bulwark-delta.ipset";

  /** The default {@code maxelem} of a set, ipset's own default. */
  public static final int DEFAULT_MAX_ELEMENTS = 65_536;

  private final int maxElements;

  /** A generator with {@link #DEFAULT_MAX_ELEMENTS}. */
  public IptablesGenerator() {
    this(DEFAULT_MAX_ELEMENTS);
  }

  /**
   * A generator with a limit.
   *
   * @param maxElements the most elements one set may hold, positive
   */
  public IptablesGenerator(int maxElements) {
    if (maxElements < 1) {
      throw new IllegalArgumentException("maxElements must be positive");
    }
    this.maxElements = maxElements;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    List<Uncovered> uncovered = new ArrayList<>();
    List<IpsetContents> sets = new ArrayList<>();
    Optional<GenerationResult.Invalid> problem = prepare(input, sets, uncovered);
    if (problem.isPresent()) {
      return problem.get();
    }
    return GenerationResult.Rules.ofFiles(files(sets), uncovered);
  }

  /**
   * Renders the change from {@code from} to {@code to}. When the chains stay the same (same
   * countermeasures, actions and non-empty sets), the delta is one file, {@link #DELTA_FILE}, of
   * {@code del} and {@code add} commands for {@code ipset restore}; otherwise it is the full rule
   * set of {@code to}, with its usual file names, to be applied like any full rule set.
   */
  @Override
  public GenerationResult delta(RuleInput from, RuleInput to) {
    List<IpsetContents> before = new ArrayList<>();
    Optional<GenerationResult.Invalid> problem = prepare(from, before, new ArrayList<>());
    if (problem.isPresent()) {
      return new GenerationResult.Invalid("previous generation: " + problem.get().reason());
    }
    List<Uncovered> uncovered = new ArrayList<>();
    List<IpsetContents> after = new ArrayList<>();
    problem = prepare(to, after, uncovered);
    if (problem.isPresent()) {
      return problem.get();
    }
    if (!IpsetDelta.sameShape(before, after)) {
      return GenerationResult.Rules.ofFiles(files(after), uncovered);
    }
    return GenerationResult.Rules.ofFile(DELTA_FILE, IpsetDelta.write(before, after), uncovered);
  }

  private Optional<GenerationResult.Invalid> prepare(
      RuleInput input, List<IpsetContents> sets, List<Uncovered> uncovered) {
    Optional<GenerationResult.Invalid> problem = Countermeasures.problem(input);
    if (problem.isPresent()) {
      return problem;
    }
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      IpsetContents contents = IpsetContents.of(cm, uncovered);
      Optional<GenerationResult.Invalid> tooMany = checkSizes(contents);
      if (tooMany.isPresent()) {
        return tooMany;
      }
      sets.add(contents);
    }
    return Optional.empty();
  }

  /**
   * Renders the rule set of {@code input} and keeps its sets tallied, so that each later {@link
   * io.bulwark.rules.spi.DeltaState#apply} touches only the changed terms and the prefixes inside
   * them: the same files as {@link #delta}, in time that grows with the change, not the sets.
   */
  @Override
  public Tracked track(RuleInput input) {
    GenerationResult full = generate(input);
    return new Tracked(
        full, full instanceof GenerationResult.Rules ? new IptablesState(this, input) : null);
  }

  Map<String, String> files(List<IpsetContents> sets) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(IPSET_FILE, ipset(sets));
    files.put(IPV4_FILE, IptablesChains.write(sets, IpPrefix.Family.V4));
    files.put(IPV6_FILE, IptablesChains.write(sets, IpPrefix.Family.V6));
    return files;
  }

  private Optional<GenerationResult.Invalid> checkSizes(IpsetContents contents) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put(contents.stem() + "-v4", contents.v4().size());
    sizes.put(contents.stem() + "-v6", contents.v6().size());
    for (Protocol protocol : Protocol.values()) {
      sizes.put(contents.stem() + "-" + protocol.keyword(), contents.ports(protocol).size());
    }
    return checkSizes(sizes);
  }

  /** Returns the error for the first set of {@code sizes} (name to elements) above the limit. */
  Optional<GenerationResult.Invalid> checkSizes(Map<String, Integer> sizes) {
    for (Map.Entry<String, Integer> size : sizes.entrySet()) {
      if (size.getValue() > maxElements) {
        return Optional.of(
            Countermeasures.tooMany(ID, "set " + size.getKey(), size.getValue(), maxElements));
      }
    }
    return Optional.empty();
  }

  private String ipset(List<IpsetContents> sets) {
    StringBuilder out = new StringBuilder();
    for (IpsetContents set : sets) {
      prefixes(out, set.stem() + "-v4", "inet", set.v4());
      prefixes(out, set.stem() + "-v6", "inet6", set.v6());
      for (Protocol protocol : Protocol.values()) {
        List<Integer> ports = set.ports(protocol);
        if (!ports.isEmpty()) {
          String name = set.stem() + "-" + protocol.keyword();
          out.append("create ").append(name).append(" bitmap:port range 1-65535\n");
          ports.forEach(
              port -> out.append("add ").append(name).append(' ').append(port).append('\n'));
        }
      }
    }
    return out.toString();
  }

  private void prefixes(StringBuilder out, String name, String family, List<IpPrefix> prefixes) {
    if (prefixes.isEmpty()) {
      return;
    }
    out.append("create ").append(name).append(" hash:net family ").append(family);
    out.append(" maxelem ").append(maxElements).append('\n');
    for (IpPrefix prefix : prefixes) {
      out.append("add ").append(name).append(' ').append(prefix).append('\n');
    }
  }

  /** Returns the target of a rule: DROP, or LOG with the countermeasure in the prefix. */
  static String target(CountermeasureTerms cm) {
    return cm.action() == Action.BLOCK
        ? "-j DROP"
        : "-j LOG --log-prefix \"bw cm" + cm.countermeasureId() + " \"";
  }
}
