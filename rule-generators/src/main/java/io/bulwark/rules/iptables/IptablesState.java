package io.bulwark.rules.iptables;

import io.bulwark.rules.render.NetworkTally;
import io.bulwark.rules.render.PrefixTally;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The iptables {@link DeltaState}: the tallied sets a device holds. A change that keeps the chains
 * becomes {@code del}/{@code add} lines for {@code ipset restore}, computed from the changed terms
 * alone; one that changes them is the full rule set, rendered from the tallies, as {@link
 * IptablesGenerator#delta} does. A change that would overfill a set is refused and not applied.
 */
final class IptablesState implements DeltaState {

  private final IptablesGenerator generator;
  private final NetworkTally tally;

  IptablesState(IptablesGenerator generator, RuleInput input) {
    this.generator = generator;
    this.tally =
        NetworkTally.of(
            input,
            EnumSet.allOf(Protocol.class),
            term -> "iptables has no rule for " + term.kind() + " terms");
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
    for (NetworkTally.Countermeasure cm : order) {
      Optional<GenerationResult.Invalid> tooMany = generator.checkSizes(sizes(cm));
      if (tooMany.isPresent()) {
        tally.undo();
        return tooMany.get();
      }
    }
    if (!before.equals(shape())) {
      List<IpsetContents> sets = new ArrayList<>(order.size());
      order.forEach(cm -> sets.add(IpsetContents.of(cm)));
      return GenerationResult.Rules.ofFiles(generator.files(sets), uncovered);
    }
    return GenerationResult.Rules.ofFile(
        IptablesGenerator.DELTA_FILE, IpsetDelta.elements(order, changes), uncovered);
  }

  @Override
  public synchronized RuleInput input() {
    return tally.input();
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

  private List<String> shape() {
    List<String> shape = new ArrayList<>();
    for (NetworkTally.Countermeasure cm : tally.inRuleOrder()) {
      shape.add(
          IpsetDelta.shapeKey(
              cm.id(),
              cm.action(),
              cm.prefixes(IpPrefix.Family.V4).isEmpty(),
              cm.prefixes(IpPrefix.Family.V6).isEmpty(),
              protocol -> cm.ports(protocol).isEmpty()));
    }
    return shape;
  }
}
