package io.bulwark.agent.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One status the agent reports for a generation.
 *
 * @param error empty for APPLYING and APPLIED, otherwise why
 * @param atMillis agent clock, milliseconds since the epoch
 */
public record ApplyReport(
    long generation, Phase phase, String digest, String error, long atMillis) {

  /** Longest error text sent to the controller, in bytes of UTF-8. */
  static final int MAX_ERROR_BYTES = 4096;

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

  /** {@code text} cut to at most {@link #MAX_ERROR_BYTES} bytes of UTF-8, never mid-character. */
  static String trim(String text) {
    String stripped = text.strip();
    byte[] bytes = stripped.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_ERROR_BYTES) {
      return stripped;
    }
    int end = MAX_ERROR_BYTES;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
