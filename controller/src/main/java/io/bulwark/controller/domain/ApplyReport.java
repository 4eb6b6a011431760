package io.bulwark.controller.domain;

import java.time.Instant;

/**
 * What a device last said about its rule set.
 *
 * @param appliedGeneration the newest generation it has applied and verified
 * @param appliedDigest hex SHA-256 of that rule set, empty when none
 * @param generation the generation the latest report is about
 * @param outcome what happened to {@code generation}
 * @param error the device's own error text when {@code outcome} is FAILED, else empty
 * @param at when the controller received the report, or null
 */
public record ApplyReport(
    long appliedGeneration,
    String appliedDigest,
    long generation,
    Outcome outcome,
    String error,
    Instant at) {

  /** No report received yet. */
  public static final ApplyReport NONE = new ApplyReport(0, "", 0, Outcome.NONE, "", null);

  /** The kinds of report. */
  public enum Outcome {
    NONE,
    APPLYING,
    APPLIED,
    FAILED,
    /** The device found its live rules differ from the applied generation; error summarises how. */
    DRIFTED
  }

  public ApplyReport {
    appliedDigest = appliedDigest == null ? "" : appliedDigest;
    error = error == null ? "" : error;
  }
}
