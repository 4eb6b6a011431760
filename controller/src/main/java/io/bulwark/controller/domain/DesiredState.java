package io.bulwark.controller.domain;

import java.util.Objects;

/**
 * One generation of a device's rule set, as the controller wants it.
 *
 * @param device the device name
 * @param generation rises by one each time the rule set changes, never reused
 * @param target the rule-set kind
 * @param rules the native rule set
 * @param digest hex SHA-256 of {@code rules} in UTF-8
 */
public record DesiredState(String device, long generation, String target, String rules, String digest) {
  public DesiredState {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(digest, "digest");
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be at least 1: " + generation);
    }
  }
}
