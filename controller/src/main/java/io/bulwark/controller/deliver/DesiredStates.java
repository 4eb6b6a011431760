package io.bulwark.controller.deliver;

import io.bulwark.controller.compile.RuleInputs;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.UnknownDeviceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each device's desired state in step with the countermeasures: recompiles, stores a
 * new generation when the rule set changed, and pushes it to the device if it is connected.
 * Thread-safe: concurrent recomputations of one device are serialised by the store.
 */
public final class DesiredStates {
  private static final Logger log = LoggerFactory.getLogger(DesiredStates.class);
  private final DeviceStore devices;
  private final RuleSetCompiler compiler;
  private final AgentSessions sessions;
  private final RuleInputs inputs;

  public DesiredStates(DeviceStore devices, RuleSetCompiler compiler, AgentSessions sessions) {
    this(devices, compiler, sessions, RuleInputs.none());
  }

  /** As above, remembering the input of each new generation in {@code inputs} for deltas. */
  public DesiredStates(DeviceStore devices, RuleSetCompiler compiler, AgentSessions sessions, RuleInputs inputs) {
    this.devices = devices;
    this.compiler = compiler;
    this.sessions = sessions;
    this.inputs = inputs;
  }

  /** Recomputes one device; returns its new desired state if the rule set changed. */
  public synchronized Optional<DesiredState> recompute(String name) {
    Device device =
        devices.find(name).orElseThrow(() -> new UnknownDeviceException("no device named '" + name + "'"));
    RuleSetCompiler.Compiled compiled = compiler.compile(device);
    if (compiled instanceof RuleSetCompiler.Failed failed) {
      log.error("cannot compile rules for device {}: {}", name, failed.reason());
      return Optional.empty();
    }
    var rules = (RuleSetCompiler.RuleSet) compiled;
    Optional<DesiredState> advanced = devices.advanceDesired(name, rules.target(), rules.rules(), rules.digest(), rules.countermeasureIds());
    advanced.ifPresent(
        state -> {
          inputs.remember(state, rules.input());
          log.info("device {} desired generation {} digest {}", name, state.generation(), shortDigest(state));
          sessions.push(state);
        });
    return advanced;
  }

  /** Recomputes every device; returns the names of those that got a new generation. */
  public List<String> recomputeAll() {
    List<String> changed = new ArrayList<>();
    for (Device d : devices.list()) {
      if (recompute(d.name()).isPresent()) {
        changed.add(d.name());
      }
    }
    return changed;
  }

  private static String shortDigest(DesiredState s) {
    return s.digest().substring(0, Math.min(12, s.digest().length()));
  }
}
