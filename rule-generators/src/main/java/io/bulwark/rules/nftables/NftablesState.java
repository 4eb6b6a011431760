package io.bulwark.rules.nftables;

import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.render.TalliedDeltaState;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The nftables {@link io.bulwark.rules.spi.DeltaState}: the tallied sets of the table a device holds. A change that
 * keeps the table's shape becomes {@code delete element}/{@code add element} lines computed from
 * the changed terms alone; one that changes it (a countermeasure or a set comes or goes) becomes
 * the full replacement, rendered from the tallies, as {@link NftablesDelta} does.
 */
final class NftablesState extends TalliedDeltaState {

  NftablesState(RuleInput input) {
    super(input, "nftables");
  }

  @Override
  protected GenerationResult render(
      List<NetworkTally.Countermeasure> order,
      Map<Long, NetworkTally.Changes> changes,
      boolean sameSets,
      List<Uncovered> uncovered) {
    String text;
    if (sameSets) {
      text = NftablesDelta.elements(order, changes);
    } else {
      List<CountermeasureSets> sets = new ArrayList<>(order.size());
      order.forEach(cm -> sets.add(CountermeasureSets.of(cm)));
      text = NftablesDelta.replacement(sets);
    }
    return GenerationResult.Rules.ofFile(NftablesGenerator.DELTA_FILE, text, uncovered);
  }

  @Override
  protected String shapeKey(NetworkTally.Countermeasure cm) {
    return NftablesDelta.shapeKey(
        cm.id(),
        cm.action(),
        cm.prefixes(IpPrefix.Family.V4).isEmpty(),
        cm.prefixes(IpPrefix.Family.V6).isEmpty(),
        protocol -> cm.ports(protocol).isEmpty());
  }
}
