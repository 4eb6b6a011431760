package io.bulwark.agent.bundle;

import java.util.Objects;

/**
 * One status the agent reports for a generation.
 *
 * @param error empty for APPLYING and APPLIED, otherwise why
 * @param atMillis agent clock, milliseconds since the epoch
 */
public record ApplyReport(
    long generation, Phase phase, String digest, String error, long atMillis) {

  /** Where an apply stands. */
  public enum Phase {
    APPLYING,
    APPLIED,
    FAILED,
    /** Refused before applying; the previous rules are in place. */
    REJECTED,
    /** Applied, then restored to the previous rules by commit-confirm. */
    ROLLED_BACK,
    /** The live rules differ from what was applied. */
    DRIFTED
  }

  public ApplyReport {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(error, "error");
  }
}
