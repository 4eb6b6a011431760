package io.bulwark.controller.api;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.proto.agent.v1.ApplyStatus;
import io.bulwark.proto.agent.v1.ConfirmRequest;
import io.bulwark.proto.agent.v1.Hello;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent's stream carries, checked before anything of it is stored or echoed: one agent's
 * bad message must not hold up the status writes of the others (a digest longer than its column
 * fails the whole batch it is in) nor fill the controller's memory.
 */
final class AgentReports {
  private static final Logger log = LoggerFactory.getLogger(AgentReports.class);

  /** The longest commit-confirm nonce echoed; agents send 16 bytes. */
  static final int MAX_NONCE_BYTES = 64;
  /** What the store keeps of a device's error. */
  static final int MAX_ERROR_CHARS = 8000;

  private AgentReports() {}

  static void check(Hello hello) {
    digest("hello.applied_digest", hello.getAppliedDigest());
  }

  static void check(ApplyStatus status) {
    digest("status.digest", status.getDigest());
  }

  static void check(ConfirmRequest request) {
    if (request.getNonce().size() > MAX_NONCE_BYTES) {
      throw new InvalidRequestException("confirm_request.nonce has " + request.getNonce().size()
          + " bytes; at most " + MAX_NONCE_BYTES);
    }
  }

  /** A digest is empty (none) or a SHA-256 in lower-case hex. */
  private static void digest(String field, String value) {
    if (!value.isEmpty() && !value.matches("[0-9a-f]{64}")) {
      String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
      throw new InvalidRequestException(field + " is not a SHA-256 in lower-case hex (64 characters): '"
          + shown.replaceAll("[^\\x20-\\x7e]", "?") + "', " + value.length() + " characters");
    }
  }

  /** {@code status} as stored for {@code device}, logged as the operator wants to see it. */
  static ApplyReport report(String device, ApplyStatus status, Instant now) {
    ApplyReport.Outcome outcome =
        switch (status.getState()) {
          case APPLY_STATE_APPLYING -> ApplyReport.Outcome.APPLYING;
          case APPLY_STATE_APPLIED -> ApplyReport.Outcome.APPLIED;
          case APPLY_STATE_FAILED, APPLY_STATE_REJECTED, APPLY_STATE_ROLLED_BACK -> ApplyReport.Outcome.FAILED;
          case APPLY_STATE_DRIFTED -> ApplyReport.Outcome.DRIFTED;
          default -> ApplyReport.Outcome.NONE;
        };
    boolean applied = outcome == ApplyReport.Outcome.APPLIED;
    String error = errorText(status);
    if (outcome == ApplyReport.Outcome.FAILED) {
      log.warn("device {} failed to apply generation {}: {}", device, status.getGeneration(), firstLine(error));
    } else if (outcome == ApplyReport.Outcome.DRIFTED) {
      log.warn("device {} drifted from generation {}: {}", device, status.getGeneration(), firstLine(error));
    } else if (applied) {
      log.debug("device {} applied generation {}", device, status.getGeneration());
    }
    // Not applied: generation 0 leaves the stored applied generation and digest as they are.
    return new ApplyReport(applied ? status.getGeneration() : 0, applied ? status.getDigest() : "",
        status.getGeneration(), outcome, error, now);
  }

  /**
   * The device's error, prefixed with how the rules were kept, cut to what the store holds, without
   * NUL characters (PostgreSQL refuses them in text).
   */
  private static String errorText(ApplyStatus status) {
    String prefix =
        switch (status.getState()) {
          case APPLY_STATE_REJECTED -> "rejected: ";
          case APPLY_STATE_ROLLED_BACK -> "rolled back: ";
          default -> "";
        };
    String error = prefix + status.getError().replace('\0', '?');
    return error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
  }

  private static String firstLine(String s) {
    return s.indexOf('\n') < 0 ? s : s.substring(0, s.indexOf('\n'));
  }
}
