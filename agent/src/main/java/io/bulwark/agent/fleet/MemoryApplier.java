package io.bulwark.agent.fleet;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.apply.LiveState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet simulator's applier: keeps the rule set in memory and acknowledges like a real one,
 * so that thousands of agents in one process exercise everything but the host firewall. It says
 * {@code dry-run} to the controller, since nothing reaches a host. Agents that hold the same rule
 * set share one copy of its text. Thread-safe.
 */
public final class MemoryApplier implements Applier {

  /** Rule sets recently applied by any agent of the process, so that equal texts are shared. */
  private static final Map<Key, String> SHARED = new ConcurrentHashMap<>();

  private static final int SHARED_LIMIT = 8;

  private volatile String live;

  /** Nothing in place yet. */
  public MemoryApplier() {
    this("");
  }

  /** With {@code live} in place already, as a host keeps its firewall while its agent restarts. */
  public MemoryApplier(String live) {
    this.live = share(live);
  }

  @Override
  public String kind() {
    return DryRunApplier.KIND;
  }

  @Override
  public ApplyOutcome apply(String rules) {
    live = share(rules);
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

  private static String share(String rules) {
    Key key = Key.of(rules);
    String known = SHARED.get(key);
    if (known != null && known.equals(rules)) {
      return known;
    }
    if (SHARED.size() >= SHARED_LIMIT) {
      SHARED.clear();
    }
    SHARED.put(key, rules);
    return rules;
  }

  /**
   * A rule set's length and 64 of its characters spread over it: rule sets that differ usually
   * differ in one of them, and equal ones are then confirmed by comparing the whole text. Hashing
   * the whole text instead cost a simulated agent more than verifying the bundle's signature.
   */
  private record Key(int length, long sample) {
    static Key of(String text) {
      long h = text.length();
      int step = Math.max(1, text.length() / 64);
      for (int i = 0; i < text.length(); i += step) {
        h = h * 31 + text.charAt(i);
      }
      return new Key(text.length(), h);
    }
  }
}
