package io.bulwark.controller.deliver;

import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.delta.LineDelta;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deltas between rule sets, computed once per pair of digests and shared by every device that
 * moves between the same two (thousands, when a fleet has the same inputs). A delta is offered
 * only when it is much smaller than the full rule set. Thread-safe.
 */
public final class RuleDeltas {
  private static final int KEEP = 64;
  private final DeviceStore store;
  private final Map<String, CompletableFuture<Optional<RuleDelta>>> known = new ConcurrentHashMap<>();

  public RuleDeltas(DeviceStore store) {
    this.store = store;
  }

  /** The delta from the rule set with {@code baseDigest} to {@code target}, if worth sending. */
  public Optional<RuleDelta> between(String baseDigest, DesiredState target) {
    if (baseDigest.isEmpty() || baseDigest.equals(target.digest())) {
      return Optional.empty();
    }
    String key = baseDigest + ">" + target.digest();
    CompletableFuture<Optional<RuleDelta>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<RuleDelta>> existing = known.putIfAbsent(key, mine);
    if (existing != null) {
      return existing.join();
    }
    if (known.size() > KEEP) {
      known.keySet().removeIf(k -> !k.equals(key) && known.get(k) != null && known.get(k).isDone());
    }
    try {
      Optional<RuleDelta> delta =
          store.ruleSet(baseDigest)
              .map(base -> LineDelta.between(base, target.rules()))
              .filter(d -> d.getSerializedSize() < target.rules().length() / 2);
      mine.complete(delta);
      return delta;
    } catch (RuntimeException e) {
      known.remove(key);
      mine.complete(Optional.empty());
      throw e;
    }
  }
}
