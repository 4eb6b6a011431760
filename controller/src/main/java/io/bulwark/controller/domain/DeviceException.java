package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A device that must not get a countermeasure, for a reason, until a time, decided by someone.
 * It shows in every report.
 */
public record DeviceException(
    long id, long countermeasureId, String device, String reason, String approvedBy, Instant createdAt, Instant expiresAt) {

  public DeviceException {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean isActiveAt(Instant now) {
    return !createdAt.isAfter(now) && expiresAt.isAfter(now);
  }
}
