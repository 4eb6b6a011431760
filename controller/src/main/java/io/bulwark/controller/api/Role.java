package io.bulwark.controller.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles an admin certificate can carry. Users get one of the first four; {@link #LOCAL} is
 * only ever issued by the controller to its own host, never by {@code user add}.
 */
public enum Role {
  OPERATOR,
  CSIRT,
  AUDITOR,
  ADMIN,
  /** The controller host's own credentials in its data directory: every call, TLP:RED included. */
  LOCAL;

  /** Whether this role sees TLP:RED intel in full: the CSIRT's, and the controller host's own. */
  public boolean mayReadTlpRed() {
    return this == CSIRT || this == LOCAL;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String text) {
    for (Role r : values()) {
      if (r.label().equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
