package io.bulwark.rules.nftables;

import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders countermeasures as one nftables table, {@code table inet bulwark}, and nothing else.
 *
 * <p>The text is a single {@code table inet bulwark { ... }} block: no {@code flush}, no other
 * table. Whoever applies it wraps it in its own delete-and-recreate transaction. Inside:
 *
 * <ul>
 *   <li>per countermeasure {@code N} and address family with any prefix, two named sets, both
 *       declared even when one is empty: {@code cmN_v4} / {@code cmN_v6} holding single addresses
 *       in a set without intervals (nft changes such a set without reading it first, so a delta
 *       to a million-element set is one quick transaction), and {@code cmN_v4net} / {@code
 *       cmN_v6net}, interval sets of the wider normalised prefixes; then {@code cmN_tcp}, {@code
 *       cmN_udp}, {@code cmN_sctp} (destination ports), each only when it has elements;
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
 * <p>nftables cannot redirect names, so every term of a SINKHOLE countermeasure is uncovered (see
 * {@link io.bulwark.rules.spi.Countermeasures#notSinkholed}): sinkhole is a DNS action, and its
 * other terms are enforced by no target.
 *
 * <p>Stateless and thread-safe.
 */
public final class NftablesGenerator implements DeltaGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "nftables";

  /** The name of the one file this target writes. */
  public static final String FILE = "bulwark.nft";

  /** The name of the file a {@link #delta} writes. */
  public static final String DELTA_FILE = "bulwark-delta.nft";

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
    String text = NftablesTableWriter.write(sets(input, uncovered));
    return GenerationResult.Rules.ofFile(FILE, text, uncovered);
  }

  /**
   * Renders one nft transaction that turns the table of {@code from} into the table of {@code to}:
   * element changes when the shape is unchanged, else a full replacement (see {@link
   * NftablesDelta}). Its file is {@link #DELTA_FILE}.
   */
  @Override
  public GenerationResult delta(RuleInput from, RuleInput to) {
    Optional<GenerationResult.Invalid> before = Countermeasures.problem(from);
    if (before.isPresent()) {
      return new GenerationResult.Invalid("previous generation: " + before.get().reason());
    }
    Optional<GenerationResult.Invalid> after = Countermeasures.problem(to);
    if (after.isPresent()) {
      return after.get();
    }
    List<Uncovered> uncovered = new ArrayList<>();
    String text = NftablesDelta.write(sets(from, new ArrayList<>()), sets(to, uncovered));
    return GenerationResult.Rules.ofFile(DELTA_FILE, text, uncovered);
  }

  /**
   * Renders the table of {@code input} and keeps its sets tallied, so that each later {@link
   * io.bulwark.rules.spi.DeltaState#apply} touches only the changed terms and the prefixes inside
   * them: the same text as {@link #delta}, in time that grows with the change, not the table.
   */
  @Override
  public Tracked track(RuleInput input) {
    GenerationResult full = generate(input);
    return new Tracked(
        full, full instanceof GenerationResult.Rules ? new NftablesState(input) : null);
  }

  /** Returns the sets of a valid input in rule order. */
  private static List<CountermeasureSets> sets(RuleInput input, List<Uncovered> uncovered) {
    List<CountermeasureSets> sets = new ArrayList<>(input.countermeasures().size());
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      sets.add(CountermeasureSets.of(cm, uncovered));
    }
    return sets;
  }
}
