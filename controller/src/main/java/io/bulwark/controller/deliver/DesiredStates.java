package io.bulwark.controller.deliver;

import io.bulwark.controller.compile.RuleInputs;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.UnknownDeviceException;
import io.bulwark.controller.domain.DeviceStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
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
    if (devices.find(name).isEmpty()) {
      throw new UnknownDeviceException("no device named '" + name + "'");
    }
    return recompute(List.of(name)).stream().findFirst();
  }

  /**
   * Recomputes these devices in one pass: devices with the same inputs share one compiled rule
   * set, the new generations are stored in one transaction, and then pushed to the connected
   * devices. Unknown names are skipped.
   *
   * @return the new desired states
   */
  public synchronized List<DesiredState> recompute(Collection<String> names) {
    long started = System.nanoTime();
    RuleSetCompiler.Pass pass = compiler.pass();
    Map<String, Device> found = devices.findAll(names);
    List<DeviceStore.Advance> advances = new ArrayList<>();
    Map<String, RuleSetCompiler.RuleSet> compiledFor = new java.util.HashMap<>();
    for (String name : names) {
      Device device = found.get(name);
      if (device == null) {
        continue;
      }
      RuleSetCompiler.Compiled compiled = pass.compile(device);
      if (compiled instanceof RuleSetCompiler.Failed failed) {
        log.error("cannot compile rules for device {}: {}", name, failed.reason());
        continue;
      }
      var rules = (RuleSetCompiler.RuleSet) compiled;
      if (!rules.digest().equals(device.desiredDigest())) {
        advances.add(new DeviceStore.Advance(name, rules.target(), rules.rules(), rules.digest(), rules.countermeasureIds()));
        compiledFor.put(name, rules);
      }
    }
    List<DesiredState> advanced = devices.advanceDesired(advances);
    for (DesiredState state : advanced) {
      inputs.remember(state, compiledFor.get(state.device()).input());
      log.debug("device {} desired generation {} digest {}", state.device(), state.generation(), shortDigest(state));
    }
    if (!advanced.isEmpty()) {
      log.info("{} devices get a new generation ({} rule sets compiled for {} devices) in {} ms",
          advanced.size(), pass.generated(), found.size(), (System.nanoTime() - started) / 1_000_000);
    }
    sessions.pushAll(advanced);
    return advanced;
  }

  /** Recomputes every device; returns the names of those that got a new generation. */
  public List<String> recomputeAll() {
    return recompute(devices.list().stream().map(Device::name).toList()).stream().map(DesiredState::device).toList();
  }

  private static String shortDigest(DesiredState s) {
    return s.digest().substring(0, Math.min(12, s.digest().length()));
  }
}
