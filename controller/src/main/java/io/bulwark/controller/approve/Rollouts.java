package io.bulwark.controller.approve;

import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.DeviceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Moves staged rollouts on: once every canary device has applied a countermeasure and is
 * compliant now (connected, its live rules as applied: not offline, drifted or failed), it goes
 * to the rest of its scope; when a canary device fails, the rollout halts where it is and the
 * CSIRT decides (withdraw, or approve again). A canary that reaches no device never promotes by
 * itself: no device has shown the countermeasure is safe. Thread-safe; meant to run on a schedule.
 */
public final class Rollouts {
  private final CountermeasureStore countermeasures;
  private final DeviceStore devices;
  private final DesiredStates desiredStates;
  private final AuditLog audit;

  public Rollouts(CountermeasureStore countermeasures, DeviceStore devices, DesiredStates desiredStates, AuditLog audit) {
    this.countermeasures = countermeasures;
    this.devices = devices;
    this.desiredStates = desiredStates;
    this.audit = audit;
  }

  /** What one pass did: countermeasures promoted to full scope, and halted ones. */
  public record Pass(List<Long> promoted, List<Long> halted) {}

  public Pass advance() {
    List<Long> promoted = new ArrayList<>();
    List<Long> halted = new ArrayList<>();
    List<Countermeasure> canaries = countermeasures.list().stream()
        .filter(c -> c.status() == Countermeasure.Status.ACTIVE && c.rollout() == Countermeasure.Rollout.CANARY)
        .toList();
    if (canaries.isEmpty()) {
      return new Pass(promoted, halted);
    }
    java.util.Map<DeviceStore.DeviceGeneration, Set<Long>> carried = devices.carriedByCurrent();
    List<Device> all = devices.list();
    for (Countermeasure c : canaries) {
      List<Device> canary = all.stream().filter(d -> c.reaches(d)).toList();
      boolean failed = canary.stream().anyMatch(d -> d.state() == DeviceState.FAILED);
      boolean done = !canary.isEmpty() && canary.stream().allMatch(
          d -> carried.getOrDefault(new DeviceStore.DeviceGeneration(d.name(), d.report().appliedGeneration()), Set.of())
              .contains(c.id()) && compliantNow(d));
      if (failed && countermeasures.advanceRollout(c.id(), Countermeasure.Rollout.CANARY, Countermeasure.Rollout.HALTED)) {
        halted.add(c.id());
        audit.append("controller", "rollout.halt", "countermeasure " + c.id(), "a canary device failed to apply it");
      } else if (!failed && done
          && countermeasures.advanceRollout(c.id(), Countermeasure.Rollout.CANARY, Countermeasure.Rollout.FULL)) {
        promoted.add(c.id());
        var changed = desiredStates.recompute(all.stream().filter(d -> c.scope().covers(d)).map(Device::name).toList());
        audit.append("controller", "rollout.promote", "countermeasure " + c.id(),
            canary.size() + " canary devices applied it; " + changed.size() + " more devices get it");
      }
    }
    return new Pass(promoted, halted);
  }

  /**
   * Whether the device is connected with its live rules as applied. It may be applying a newer
   * generation (another countermeasure) and still count: what it applied carries this one.
   */
  private static boolean compliantNow(Device d) {
    return d.state() == DeviceState.COMPLIANT || d.state() == DeviceState.PENDING || d.state() == DeviceState.APPLYING;
  }
}
