package io.bulwark.controller.api;

import java.util.Locale;
import java.util.Optional;

/** The roles an admin user certificate can carry. */
public enum Role {
  OPERATOR,
  CSIRT,
  AUDITOR,
  ADMIN;

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
