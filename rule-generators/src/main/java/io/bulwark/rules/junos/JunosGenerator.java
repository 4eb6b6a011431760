package io.bulwark.rules.junos;

import io.bulwark.rules.render.PlanOutcome;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.RuleInput;
import java.util.Objects;

/**
 * Renders countermeasures as Junos {@code set} commands: prefix lists and two firewall filters.
 *
 * <p>The text holds, one command per line:
 *
 * <ul>
 *   <li>per countermeasure {@code N}, {@code set policy-options prefix-list bulwark-cmN-v4 P} and
 *       {@code bulwark-cmN-v6} lines, one per normalised prefix, the length always written;
 *   <li>{@code set firewall family inet filter bulwark-in term ...} and the same for {@code inet6}:
 *       terms {@code cmN-src} ({@code from source-prefix-list}), {@code cmN-dst} ({@code from
 *       destination-prefix-list}), {@code cmN-tcp} and {@code cmN-udp} ({@code from protocol} or,
 *       in {@code inet6}, {@code from next-header}, plus one {@code from destination-port} per
 *       port); BLOCK terms {@code then discard}, ALERT terms {@code then syslog} and {@code then
 *       accept}; and last the term {@code accept-all} with {@code then accept}. Both filters are
 *       always present.
 * </ul>
 *
 * <p>The text is meant for {@code load set} and a commit; binding the filters to interfaces ({@code
 * family inet filter input bulwark-in}) is left to the operator. SCTP ports and any term kind a
 * filter cannot match are {@link io.bulwark.rules.spi.Uncovered}. Two countermeasures with one id,
 * an id below 1, or a list or filter over its {@link JunosLimits} give {@link
 * GenerationResult.Invalid}. Use {@link JunosDelta} to change a device holding an earlier
 * generation.
 *
 * <p>A Junos firewall filter cannot redirect names, so every term of a SINKHOLE countermeasure is uncovered (see
 * {@link io.bulwark.rules.spi.Countermeasures#notSinkholed}): sinkhole is a DNS action, and its
 * other terms are enforced by no target.
 *
 * <p>Pure, stateless and thread-safe.
 */
public final class JunosGenerator implements DeltaGenerator {
  /** The fixed name of the set commands file, which scripts rely on. */
  public static final String FILE = "bulwark.junos";


  /** The id this generator is registered under. */
  public static final String ID = "junos";

  /** The name of the filter in both families. */
  static final String FILTER = "bulwark-in";

  private final JunosLimits limits;

  /** Uses {@link JunosLimits#DEFAULTS}; this is the constructor {@code ServiceLoader} calls. */
  public JunosGenerator() {
    this(JunosLimits.DEFAULTS);
  }

  /**
   * @param limits the size limits to enforce, never null
   */
  public JunosGenerator(JunosLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    return PlanOutcome.full(ID, input, in -> JunosPlan.of(in, limits), JunosGenerator::render);
  }
  /** Renders {@link JunosDelta#between} with this generator's limits. */
  @Override
  public GenerationResult delta(RuleInput from, RuleInput to) {
    return JunosDelta.between(from, to, limits);
  }


  private static GenerationResult render(JunosPlan plan) {
    StringBuilder out = new StringBuilder(1024);
    for (JunosPlan.PrefixList list : plan.prefixLists()) {
      for (String prefix : list.prefixes()) {
        out.append("set ").append(prefixList(list.name())).append(' ').append(prefix).append('\n');
      }
    }
    for (JunosFamily family : JunosFamily.values()) {
      for (JunosPlan.FilterTerm term : plan.terms(family)) {
        for (String statement : term.statements()) {
          out.append("set ").append(family.termPath()).append(term.name()).append(' ');
          out.append(statement).append('\n');
        }
      }
    }
    return GenerationResult.Rules.ofFile(FILE, out.toString(), plan.uncovered());
  }

  /** Returns the configuration path of the prefix list {@code name}. */
  static String prefixList(String name) {
    return "policy-options prefix-list " + name;
  }
}
