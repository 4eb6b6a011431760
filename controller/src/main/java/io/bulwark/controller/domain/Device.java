package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An enrolled device and what is known of its rule set.
 *
 * @param name the identity written into its certificate
 * @param target the rule-set kind its agent applies, for example {@code nftables}
 * @param tags the scope tags given at enrollment
 * @param desiredGeneration the newest generation computed for it, 0 before the first
 * @param desiredDigest hex SHA-256 of that generation's rules, empty before the first
 * @param report the last apply report, or {@link ApplyReport#NONE}
 * @param connected whether an agent stream is open now
 * @param lastSeen when the agent last spoke, or null
 */
public record Device(
    String name,
    String target,
    List<String> tags,
    Instant enrolledAt,
    long desiredGeneration,
    String desiredDigest,
    ApplyReport report,
    boolean connected,
    Instant lastSeen) {

  public Device {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    tags = List.copyOf(tags);
    desiredDigest = desiredDigest == null ? "" : desiredDigest;
    report = report == null ? ApplyReport.NONE : report;
  }

  /** The state derived from the desired state, the last report and the connection. */
  public DeviceState state() {
    if (!connected) {
      return lastSeen == null ? DeviceState.ENROLLED : DeviceState.OFFLINE;
    }
    if (report.outcome() == ApplyReport.Outcome.DRIFTED && report.generation() == report.appliedGeneration()) {
      return DeviceState.DRIFTED;
    }
    if (isCompliant()) {
      return DeviceState.COMPLIANT;
    }
    if (report.generation() == desiredGeneration) {
      switch (report.outcome()) {
        case FAILED:
          return DeviceState.FAILED;
        case APPLYING:
          return DeviceState.APPLYING;
        default:
          break;
      }
    }
    return DeviceState.PENDING;
  }

  /** True when the applied generation and digest are the desired ones. */
  public boolean isCompliant() {
    return desiredGeneration > 0
        && report.appliedGeneration() == desiredGeneration
        && report.appliedDigest().equals(desiredDigest);
  }
}
