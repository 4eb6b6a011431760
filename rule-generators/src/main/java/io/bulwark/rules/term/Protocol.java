package io.bulwark.rules.term;

import java.util.Locale;
import java.util.Optional;

/** A transport protocol whose destination ports can be enforced. */
public enum Protocol {
  TCP,
  UDP,
  SCTP;

  /** Returns the lowercase name used by STIX {@code protocols} and by most device syntaxes. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Finds the protocol named {@code name}, ignoring case.
   *
   * @param name a protocol name such as {@code "tcp"}, never null
   * @return the protocol, or empty when {@code name} is not a transport protocol listed here
   */
  public static Optional<Protocol> fromName(String name) {
    for (Protocol protocol : values()) {
      if (protocol.keyword().equalsIgnoreCase(name)) {
        return Optional.of(protocol);
      }
    }
    return Optional.empty();
  }
}
