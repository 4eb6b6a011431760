package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Devices, their desired states and their reports. Implementations are thread-safe; every
 * method is one transaction.
 */
public interface DeviceStore {

  /** Creates the device, or updates target and tags when it enrolls again. */
  void upsertEnrolled(String name, String target, List<String> tags, Instant at);

  Optional<Device> find(String name);

  /** All devices, ordered by name. */
  List<Device> list();

  /**
   * Stores a new desired generation if {@code digest} differs from the current desired digest.
   * Generations only rise: the new one is the current plus one. {@code countermeasureIds} are
   * the countermeasures the rule set carries, kept as evidence for reports.
   *
   * @return the new desired state, or empty when the digest was already desired
   * @throws UnknownDeviceException when the device does not exist
   */
  Optional<DesiredState> advanceDesired(
      String device, String target, String rules, String digest, java.util.List<Long> countermeasureIds);

  /** Per device and generation: the countermeasures it carried and when it was applied. */
  record Evidence(String device, long generation, long countermeasureId, Instant appliedAt) {}

  /** Every generation that carried a countermeasure, with when it was applied (null if never). */
  List<Evidence> evidence();

  /** The current desired state, empty before the first. */
  Optional<DesiredState> currentDesired(String device);

  /** Records a report; the applied generation never goes back. */
  void recordReport(String device, ApplyReport report);

  /** Marks the agent's stream open or closed and updates {@code lastSeen}. */
  void markConnected(String device, boolean connected, Instant at);

  /** Marks every device disconnected; called when a controller starts. */
  void markAllDisconnected();
}
