package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One CSIRT decision: these indicators, this action, on these devices, until then.
 *
 * @param id assigned by the store
 * @param indicatorIds the STIX ids of the indicators it covers
 * @param expiresAt null when it does not expire
 * @param approvedBy the user who approved it, from their certificate
 */
public record Countermeasure(
    long id,
    List<String> indicatorIds,
    Action action,
    Scope scope,
    Instant createdAt,
    Instant expiresAt,
    String approvedBy,
    String reason) {

  /** What a device does with matching traffic. */
  public enum Action {
    BLOCK
  }

  public Countermeasure {
    indicatorIds = List.copyOf(indicatorIds);
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(createdAt, "createdAt");
    reason = reason == null ? "" : reason;
  }

  /** Whether it is in force at {@code now}. */
  public boolean isActiveAt(Instant now) {
    return !createdAt.isAfter(now) && (expiresAt == null || expiresAt.isAfter(now));
  }
}
