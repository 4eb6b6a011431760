package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest stored version of a STIX indicator.
 *
 * @param modified the STIX {@code modified} time; with {@code id} it names the version
 * @param validUntil null when the indicator sets none
 * @param source where it was ingested from
 * @param specVersion the STIX version it came as, {@code 2.1} or {@code 2.0}: the grammar its
 *     pattern is read by
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
    String json,
    String specVersion) {

  public StoredIndicator {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modified, "modified");
    name = name == null ? "" : name;
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(specVersion, "specVersion");
  }

  /** A STIX 2.1 indicator version. */
  public StoredIndicator(String id, Instant modified, String name, String pattern, String patternType,
      Instant validFrom, Instant validUntil, boolean revoked, String source, String json) {
    this(id, modified, name, pattern, patternType, validFrom, validUntil, revoked, source, json, "2.1");
  }

  /** Whether a countermeasure may enforce it at {@code now}. */
  public boolean isEnforceableAt(Instant now) {
    return !revoked
        && (validFrom == null || !validFrom.isAfter(now))
        && (validUntil == null || validUntil.isAfter(now));
  }
}
