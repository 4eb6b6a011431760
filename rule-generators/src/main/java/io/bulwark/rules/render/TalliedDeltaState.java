package io.bulwark.rules.render;

import io.bulwark.rules.spi.DeltaState;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleChange;
import io.bulwark.rules.spi.RuleChange.InvalidChangeException;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.Protocol;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link DeltaState} over the tallied network sets of a device (nftables, ipset): each change
 * moves the tally on, then a target renders either element changes, when the sets are the same
 * ones as before, or the full replacement. A change the tally refuses, or the target refuses
 * afterwards, leaves the state as it was. Thread-safe.
 */
public abstract class TalliedDeltaState implements DeltaState {
  private final NetworkTally tally;

  /** @param target the target's name, for the reason given for terms it has no rule for */
  protected TalliedDeltaState(RuleInput input, String target) {
    this.tally =
        NetworkTally.of(
            target,
            input, EnumSet.allOf(Protocol.class), term -> target + " has no rule for " + term.kind() + " terms");
  }

  @Override
  public final synchronized long generation() {
    return tally.generation();
  }

  @Override
  public final synchronized RuleInput input() {
    return tally.input();
  }

  @Override
  public final synchronized GenerationResult apply(RuleChange change) {
    List<String> before = shape();
    List<Uncovered> uncovered = new ArrayList<>();
    Map<Long, NetworkTally.Changes> changes;
    try {
      changes = tally.apply(change, uncovered);
    } catch (InvalidChangeException e) {
      return new GenerationResult.Invalid(e.getMessage());
    }
    List<NetworkTally.Countermeasure> order = tally.inRuleOrder();
    Optional<GenerationResult.Invalid> refused = refuse(order);
    if (refused.isPresent()) {
      tally.undo();
      return refused.get();
    }
    return render(order, changes, before.equals(shape()), uncovered);
  }

  /** Why the target cannot hold the sets as they now are (too many elements), if it cannot. */
  protected Optional<GenerationResult.Invalid> refuse(List<NetworkTally.Countermeasure> order) {
    return Optional.empty();
  }

  /**
   * The target's text for the change.
   *
   * @param sameSets whether the sets are those of the previous generation (then element changes do)
   */
  protected abstract GenerationResult render(
      List<NetworkTally.Countermeasure> order,
      Map<Long, NetworkTally.Changes> changes,
      boolean sameSets,
      List<Uncovered> uncovered);

  /** What identifies a countermeasure's sets on the target: equal keys, the same sets. */
  protected abstract String shapeKey(NetworkTally.Countermeasure cm);

  private List<String> shape() {
    List<String> shape = new ArrayList<>();
    for (NetworkTally.Countermeasure cm : tally.inRuleOrder()) {
      shape.add(shapeKey(cm));
    }
    return shape;
  }
}
