package io.bulwark.rules.nftables;

import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.spi.DeltaState;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleChange;
import io.bulwark.rules.spi.RuleChange.InvalidChangeException;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The nftables {@link DeltaState}: the tallied sets of the table a device holds. A change that
 * keeps the table's shape becomes {@code delete element}/{@code add element} lines computed from
 * the changed terms alone; one that changes it (a countermeasure or a set comes or goes) becomes
 * the full replacement, rendered from the tallies, as {@link NftablesDelta} does.
 */
final class NftablesState implements DeltaState {

  private final NetworkTally tally;

  NftablesState(RuleInput input) {
    this.tally =
        NetworkTally.of(
            input,
            EnumSet.allOf(Protocol.class),
            term -> "nftables has no rule for " + term.kind() + " terms");
  }

  @Override
  public synchronized long generation() {
    return tally.generation();
  }

  @Override
  public synchronized GenerationResult apply(RuleChange change) {
    List<String> before = shape();
    List<Uncovered> uncovered = new ArrayList<>();
    Map<Long, NetworkTally.Changes> changes;
    try {
      changes = tally.apply(change, uncovered);
    } catch (InvalidChangeException e) {
      return new GenerationResult.Invalid(e.getMessage());
    }
    List<NetworkTally.Countermeasure> order = tally.inRuleOrder();
    String text;
    if (before.equals(shape())) {
      text = NftablesDelta.elements(order, changes);
    } else {
      List<CountermeasureSets> sets = new ArrayList<>(order.size());
      order.forEach(cm -> sets.add(CountermeasureSets.of(cm)));
      text = NftablesDelta.replacement(sets);
    }
    return GenerationResult.Rules.ofFile(NftablesGenerator.DELTA_FILE, text, uncovered);
  }

  @Override
  public synchronized RuleInput input() {
    return tally.input();
  }

  private List<String> shape() {
    List<String> shape = new ArrayList<>();
    for (NetworkTally.Countermeasure cm : tally.inRuleOrder()) {
      shape.add(
          NftablesDelta.shapeKey(
              cm.id(),
              cm.action(),
              cm.prefixes(IpPrefix.Family.V4).isEmpty(),
              cm.prefixes(IpPrefix.Family.V6).isEmpty(),
              protocol -> cm.ports(protocol).isEmpty()));
    }
    return shape;
  }
}
