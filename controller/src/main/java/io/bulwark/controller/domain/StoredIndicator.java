package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest stored version of a STIX indicator.
 *
 * @param modified the STIX {@code modified} time; with {@code id} it names the version
 * @param validUntil null when the indicator sets none
 * @param source where it was ingested from
 */
public record StoredIndicator(
    String id,
    Instant modified,
    String name,
    String pattern,
    String patternType,
    Instant validFrom,
    Instant validUntil,
    boolean revoked,
    String source,
    String json) {

  public StoredIndicator {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modified, "modified");
    name = name == null ? "" : name;
    Objects.requireNonNull(pattern, "pattern");
  }

  /** Whether a countermeasure may enforce it at {@code now}. */
  public boolean isEnforceableAt(Instant now) {
    return !revoked
        && (validFrom == null || !validFrom.isAfter(now))
        && (validUntil == null || validUntil.isAfter(now));
  }
}
