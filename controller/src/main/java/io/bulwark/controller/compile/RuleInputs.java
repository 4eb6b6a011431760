package io.bulwark.controller.compile;

import io.bulwark.controller.domain.DesiredState;
import io.bulwark.rules.spi.RuleInput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inputs of the last few desired generations of devices whose target renders deltas between
 * generations (Cisco IOS, Junos), so a push can send the change from the generation a device holds
 * instead of its whole section. Kept in memory only: after a restart the generations a device
 * holds are unknown here, and the next push is a full one. Thread-safe.
 */
public final class RuleInputs {
  /** One generation: what it was rendered from, and the rules it became. */
  public record Remembered(long generation, RuleInput input, String rules) {}

  private static final RuleInputs NONE = new RuleInputs(Set.of(), 0);
  private final Set<String> targets;
  private final int perDevice;
  private final Map<String, Map<Long, Remembered>> byDevice = new ConcurrentHashMap<>();

  /**
   * @param targets the rule-set kinds to remember inputs for
   * @param perDevice how many generations to keep per device, newest first
   */
  public RuleInputs(Set<String> targets, int perDevice) {
    this.targets = Set.copyOf(targets);
    this.perDevice = perDevice;
  }

  /** Remembers nothing. */
  public static RuleInputs none() {
    return NONE;
  }

  /** Remembers {@code input} as what {@code state} was rendered from, if its target is kept. */
  public void remember(DesiredState state, RuleInput input) {
    if (perDevice < 1 || !targets.contains(state.target())) {
      return;
    }
    Map<Long, Remembered> generations = byDevice.computeIfAbsent(state.device(), d -> new LinkedHashMap<>());
    synchronized (generations) {
      generations.put(state.generation(), new Remembered(state.generation(), input, state.rules()));
      while (generations.size() > perDevice) {
        generations.remove(generations.keySet().iterator().next());
      }
    }
  }

  /** What generation {@code generation} of {@code device} was rendered from, if still kept. */
  public Optional<Remembered> find(String device, long generation) {
    Map<Long, Remembered> generations = byDevice.get(device);
    if (generations == null) {
      return Optional.empty();
    }
    synchronized (generations) {
      return Optional.ofNullable(generations.get(generation));
    }
  }
}
