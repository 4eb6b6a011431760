package io.bulwark.agent.bundle;

import java.util.Objects;

/**
 * One status the agent reports for a generation.
 *
 * @param error empty unless {@code phase} is {@link Phase#FAILED}
 * @param atMillis agent clock, milliseconds since the epoch
 */
public record ApplyReport(
    long generation, Phase phase, String digest, String error, long atMillis) {

  /** Where an apply stands. */
  public enum Phase {
    APPLYING,
    APPLIED,
    FAILED
  }

  public ApplyReport {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(error, "error");
  }
}
