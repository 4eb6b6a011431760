package io.bulwark.rules.nftables;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders countermeasures as one nftables table, {@code table inet bulwark}, and nothing else.
 *
 * <p>The text is a single {@code table inet bulwark { ... }} block: no {@code flush}, no other
 * table. Whoever applies it wraps it in its own delete-and-recreate transaction. Inside:
 *
 * <ul>
 *   <li>per countermeasure {@code N}, named sets {@code cmN_v4} and {@code cmN_v6} (interval sets
 *       of normalised prefixes) and {@code cmN_tcp}, {@code cmN_udp}, {@code cmN_sctp} (destination
 *       ports), each only when it has elements;
 *   <li>base chains {@code input}, {@code forward} and {@code output}, hooked at priority {@code
 *       filter - 10} with policy accept, always present, so an input without countermeasures
 *       renders a table that enforces nothing;
 *   <li>rules: {@code input} matches set addresses as sources and ports as destination ports,
 *       {@code output} matches addresses as destinations, {@code forward} matches addresses both
 *       ways and ports. BLOCK rules end {@code counter drop comment "cmN"}, ALERT rules {@code log
 *       prefix "bulwark cmN " counter comment "cmN"}. ALERT countermeasures come first so a packet
 *       that is also blocked is still logged; within an action, countermeasures are in id order.
 * </ul>
 *
 * <p>The text is laid out exactly as {@code nft -s list table inet bulwark} (nftables 1.0.6) prints
 * it, so an agent can compare what it reads back with what it applied. Every value comes from a
 * normalised term, never from a feed string. Terms nftables cannot hold are returned as {@link
 * Uncovered}. Two countermeasures with one id, or an id below 1, give {@link
 * GenerationResult.Invalid}. The generation number is not rendered.
 *
 * <p>Stateless and thread-safe.
 */
public final class NftablesGenerator implements RuleGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "nftables";

  /** The name of the one file this target writes. */
  public static final String FILE = "bulwark.nft";

  private static final Comparator<CountermeasureTerms> RULE_ORDER =
      Comparator.comparing((CountermeasureTerms cm) -> cm.action() != Action.ALERT)
          .thenComparingLong(CountermeasureTerms::countermeasureId);

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
            "countermeasure id " + cm.countermeasureId() + " is not positive");
      }
      if (!seen.add(cm.countermeasureId())) {
        return new GenerationResult.Invalid(
            "countermeasure " + cm.countermeasureId() + " appears more than once");
      }
    }
    List<CountermeasureTerms> ordered = new ArrayList<>(input.countermeasures());
    ordered.sort(RULE_ORDER);
    List<Uncovered> uncovered = new ArrayList<>();
    List<CountermeasureSets> sets = new ArrayList<>(ordered.size());
    for (CountermeasureTerms cm : ordered) {
      sets.add(CountermeasureSets.of(cm, uncovered));
    }
    return GenerationResult.Rules.ofFile(FILE, NftablesTableWriter.write(sets), uncovered);
  }
}
