package io.bulwark.controller.approve;

import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.DeviceException;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.ExceptionStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.UnknownDeviceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Exempts a device from one countermeasure for a while, with a reason and an approver; the
 * device's rules change at once, and back when the exception expires. Thread-safe.
 */
public final class Exceptions {
  private static final Duration MAX = Duration.ofDays(365);
  private final ExceptionStore store;
  private final CountermeasureStore countermeasures;
  private final DeviceStore devices;
  private final DesiredStates desiredStates;
  private final Clock clock;

  public Exceptions(ExceptionStore store, CountermeasureStore countermeasures, DeviceStore devices,
      DesiredStates desiredStates, Clock clock) {
    this.store = store;
    this.countermeasures = countermeasures;
    this.devices = devices;
    this.desiredStates = desiredStates;
    this.clock = clock;
  }

  /**
   * Records the exception and recomputes the device.
   *
   * @throws InvalidRequestException for an unknown countermeasure, a missing reason or a bad expiry
   * @throws UnknownDeviceException for an unknown device
   */
  public DeviceException add(long countermeasureId, String device, String reason, Duration expiresIn, String approvedBy) {
    if (countermeasures.find(countermeasureId).isEmpty()) {
      throw new InvalidRequestException("no countermeasure " + countermeasureId);
    }
    if (devices.find(device).isEmpty()) {
      throw new UnknownDeviceException("no device named '" + device + "'");
    }
    if (reason == null || reason.isBlank()) {
      throw new InvalidRequestException("an exception needs a reason");
    }
    if (expiresIn == null || expiresIn.isZero() || expiresIn.isNegative() || expiresIn.compareTo(MAX) > 0) {
      throw new InvalidRequestException("an exception needs an expiry between 1 second and 365 days");
    }
    Instant now = clock.instant();
    DeviceException stored =
        store.add(new DeviceException(0, countermeasureId, device, reason.trim(), approvedBy, now, now.plus(expiresIn)));
    desiredStates.recompute(device);
    return stored;
  }
}
