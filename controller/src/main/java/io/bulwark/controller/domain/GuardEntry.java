package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the guard list the CSIRT keeps: an address, prefix or domain that approvals must
 * not block ({@link Effect#PROTECT}), or that may be blocked although the defaults protect it
 * ({@link Effect#ALLOW}).
 *
 * @param value the address, prefix or domain as the CSIRT wrote it (checked when added)
 * @param reason why, shown with every collision it causes
 */
public record GuardEntry(String value, Effect effect, String reason, String addedBy, Instant addedAt) {
  /** What an entry does. */
  public enum Effect {
    PROTECT,
    ALLOW;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public GuardEntry {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(addedBy, "addedBy");
    Objects.requireNonNull(addedAt, "addedAt");
  }
}
