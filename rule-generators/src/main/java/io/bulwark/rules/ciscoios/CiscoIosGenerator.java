package io.bulwark.rules.ciscoios;

import io.bulwark.rules.render.PlanOutcome;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.RuleInput;
import java.util.List;
import java.util.Objects;

/**
 * Renders countermeasures as a Cisco IOS configuration: object groups and two access lists.
 *
 * <p>The text holds, in order:
 *
 * <ul>
 *   <li>per countermeasure {@code N}, {@code object-group network BULWARK-CMN-V4} and {@code
 *       BULWARK-CMN-V6}, each only when it has prefixes, with {@code host} entries for single
 *       addresses and {@code address mask} (IPv4) or {@code prefix/length} (IPv6) entries;
 *   <li>{@code ip access-list extended BULWARK-IN} and {@code ipv6 access-list BULWARK-IN6}, always
 *       present: per countermeasure a {@code remark bulwark cmN block|alert} and entries matching
 *       its group as source and as destination and its TCP and UDP ports with {@code eq}; BLOCK
 *       entries {@code deny}, ALERT entries {@code permit ... log}; then {@code permit ip any any}
 *       (or {@code permit ipv6 any any}). Entries are numbered 10, 20, ... as IOS numbers them.
 * </ul>
 *
 * <p>Every block ends with {@code exit}. The lists are meant to be applied inbound on interfaces
 * ({@code ip access-group BULWARK-IN in}, {@code ipv6 traffic-filter BULWARK-IN6 in}), which is
 * left to the operator. SCTP ports and any term kind IOS cannot match are {@link
 * io.bulwark.rules.spi.Uncovered}. Two countermeasures with one id, an id below 1, or a group or
 * list over its {@link CiscoIosLimits} give {@link GenerationResult.Invalid}. Use {@link
 * CiscoIosDelta} to change a device already holding an earlier generation.
 *
 * <p>An IOS access list cannot redirect names, so every term of a SINKHOLE countermeasure is uncovered (see
 * {@link io.bulwark.rules.spi.Countermeasures#notSinkholed}): sinkhole is a DNS action, and its
 * other terms are enforced by no target.
 *
 * <p>Pure, stateless and thread-safe.
 */
public final class CiscoIosGenerator implements DeltaGenerator {
  /** The fixed name of the full configuration file, which scripts rely on. */
  public static final String FILE = "bulwark.ios";


  /** The id this generator is registered under. */
  public static final String ID = "cisco-ios";

  private final CiscoIosLimits limits;

  /** Uses {@link CiscoIosLimits#DEFAULTS}; this is the constructor {@code ServiceLoader} calls. */
  public CiscoIosGenerator() {
    this(CiscoIosLimits.DEFAULTS);
  }

  /**
   * @param limits the size limits to enforce, never null
   */
  public CiscoIosGenerator(CiscoIosLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    return PlanOutcome.full(
        ID,
        input,
        in -> IosPlan.of(in, limits),
        plan -> GenerationResult.Rules.ofFile(FILE, render(plan), plan.uncovered()));
  }
  /** Renders {@link CiscoIosDelta#between} with this generator's limits. */
  @Override
  public GenerationResult delta(RuleInput from, RuleInput to) {
    return CiscoIosDelta.between(from, to, limits);
  }


  /** Writes the full configuration of {@code plan}. */
  static String render(IosPlan plan) {
    StringBuilder out = new StringBuilder(1024);
    for (IosPlan.Group group : plan.groups()) {
      out.append("object-group network ").append(group.name()).append('\n');
      for (String entry : group.entries()) {
        out.append(' ').append(entry).append('\n');
      }
      out.append("exit\n");
    }
    for (IosAcl acl : IosAcl.values()) {
      out.append(acl.header()).append('\n');
      long sequence = 0;
      for (IosPlan.Block block : plan.blocks(acl)) {
        out.append(' ').append(block.remark()).append('\n');
        sequence = entries(out, acl, block.entries(), sequence);
      }
      entries(out, acl, List.of(acl.finalEntry()), sequence);
      out.append("exit\n");
    }
    return out.toString();
  }

  private static long entries(StringBuilder out, IosAcl acl, List<String> entries, long last) {
    long sequence = last;
    for (String entry : entries) {
      sequence += 10;
      out.append(' ').append(acl.numbered(sequence, entry)).append('\n');
    }
    return sequence;
  }
}
