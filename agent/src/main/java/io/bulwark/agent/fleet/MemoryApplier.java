package io.bulwark.agent.fleet;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.apply.LiveState;
import java.util.Optional;

/**
 * The fleet simulator's applier: keeps the rule set in memory and acknowledges like a real one,
 * so that thousands of agents in one process exercise everything but the host firewall. It says
 * {@code dry-run} to the controller, since nothing reaches a host. It holds the text it is given:
 * the simulated agents of a process already share one copy of each verified rule set ({@link
 * SharedRuleTexts}). Thread-safe.
 */
public final class MemoryApplier implements Applier {

  private volatile String live;

  /** Nothing in place yet. */
  public MemoryApplier() {
    this("");
  }

  /** With {@code live} in place already, as a host keeps its firewall while its agent restarts. */
  public MemoryApplier(String live) {
    this.live = live;
  }

  @Override
  public String kind() {
    return DryRunApplier.KIND;
  }

  @Override
  public ApplyOutcome apply(String rules) {
    live = rules;
    return new ApplyOutcome.Applied("in memory: " + rules.length() + " chars");
  }

  @Override
  public Optional<String> snapshot() {
    return Optional.of(live);
  }

  @Override
  public ApplyOutcome restore(String snapshot) {
    return apply(snapshot);
  }

  @Override
  public LiveState inspect(String appliedRules) {
    return live.equals(appliedRules)
        ? new LiveState.InSync()
        : new LiveState.Drifted("the rules in memory differ from those applied");
  }

  /** What is in place now. */
  public String live() {
    return live;
  }
}
