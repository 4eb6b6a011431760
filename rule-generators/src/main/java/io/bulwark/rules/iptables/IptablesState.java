package io.bulwark.rules.iptables;

import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.render.PrefixTally;
import io.bulwark.rules.render.TalliedDeltaState;
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
 * The iptables {@link io.bulwark.rules.spi.DeltaState}: the tallied sets a device holds. A change that keeps the chains
 * becomes {@code del}/{@code add} lines for {@code ipset restore}, computed from the changed terms
 * alone; one that changes them is the full rule set, rendered from the tallies, as {@link
 * IptablesGenerator#delta} does. A change that would overfill a set is refused and not applied.
 */
final class IptablesState extends TalliedDeltaState {

  private final IptablesGenerator generator;

  IptablesState(IptablesGenerator generator, RuleInput input) {
    super(input, "iptables");
    this.generator = generator;
  }

  @Override
  protected Optional<GenerationResult.Invalid> refuse(List<NetworkTally.Countermeasure> order) {
    for (NetworkTally.Countermeasure cm : order) {
      Optional<GenerationResult.Invalid> tooMany = generator.checkSizes(sizes(cm));
      if (tooMany.isPresent()) {
        return tooMany;
      }
    }
    return Optional.empty();
  }

  @Override
  protected GenerationResult render(
      List<NetworkTally.Countermeasure> order,
      Map<Long, NetworkTally.Changes> changes,
      boolean sameSets,
      List<Uncovered> uncovered) {
    if (!sameSets) {
      List<IpsetContents> sets = new ArrayList<>(order.size());
      order.forEach(cm -> sets.add(IpsetContents.of(cm)));
      return GenerationResult.Rules.ofFiles(generator.files(sets), uncovered);
    }
    return GenerationResult.Rules.ofFile(
        IptablesGenerator.DELTA_FILE, IpsetDelta.elements(order, changes), uncovered);
  }

  @Override
  protected String shapeKey(NetworkTally.Countermeasure cm) {
    return IpsetDelta.shapeKey(
        cm.id(),
        cm.action(),
        cm.prefixes(IpPrefix.Family.V4).isEmpty(),
        cm.prefixes(IpPrefix.Family.V6).isEmpty(),
        protocol -> cm.ports(protocol).isEmpty());
  }

  private static Map<String, Integer> sizes(NetworkTally.Countermeasure cm) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    String stem = IpsetContents.stem(cm.id());
    sizes.put(stem + "-v4", size(cm.prefixes(IpPrefix.Family.V4)));
    sizes.put(stem + "-v6", size(cm.prefixes(IpPrefix.Family.V6)));
    for (Protocol protocol : Protocol.values()) {
      sizes.put(stem + "-" + protocol.keyword(), cm.ports(protocol).size());
    }
    return sizes;
  }

  /** Returns the elements ipset holds for {@code prefixes}: a /0 counts as its two halves. */
  private static int size(PrefixTally prefixes) {
    IpPrefix all = new IpPrefix(prefixes.family(), 0, 0, 0);
    return prefixes.count(all) > 0 ? 2 : prefixes.size();
  }
}
