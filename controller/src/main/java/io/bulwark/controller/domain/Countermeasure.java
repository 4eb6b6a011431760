package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One CSIRT decision: these indicators, this action, on these devices, until then.
 *
 * @param id assigned by the store
 * @param indicatorIds the STIX ids of the indicators it covers
 * @param expiresAt null when it does not expire
 * @param approvedBy the user who approved it, from their certificate
 * @param status whether it is in force, waits for a second approver, or was withdrawn
 * @param secondApprover the second, different user when the policy asked for one, else null
 * @param canary the scope that gets it first, or null for everyone at once
 * @param rollout how far the staged rollout has gone
 * @param severity how urgent it is; the chase list holds devices to the deadline for it
 * @param startsAt when it comes into force: {@code createdAt} (the approval), or later when the
 *     CSIRT scheduled it; deadlines and times to apply count from here
 * @param sinkhole where a {@link Action#SINKHOLE} countermeasure sends the names it covers, in
 *     canonical form (an ASCII host name or an address); null for the other actions
 */
public record Countermeasure(
    long id,
    List<String> indicatorIds,
    Action action,
    Scope scope,
    Instant createdAt,
    Instant expiresAt,
    String approvedBy,
    String reason,
    Status status,
    String secondApprover,
    Scope canary,
    Rollout rollout,
    Severity severity,
    Instant startsAt,
    String sinkhole) {

  /** How urgent a countermeasure is, most urgent first. */
  public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW;

    /** The lower-case name used in the CLI, JSON output and reports. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses a label; empty means {@link #MEDIUM}.
     *
     * @throws InvalidRequestException naming the bad value and the accepted ones
     */
    public static Severity parse(String text) {
      if (text == null || text.isBlank()) {
        return MEDIUM;
      }
      for (Severity s : values()) {
        if (s.label().equals(text.trim().toLowerCase(java.util.Locale.ROOT))) {
          return s;
        }
      }
      throw new InvalidRequestException("severity '" + text + "' is not known: use critical, high, medium or low");
    }
  }

  /** How far a staged rollout has gone. */
  public enum Rollout {
    /** Only devices in the canary scope get it. */
    CANARY,
    /** Every device in scope gets it. */
    FULL,
    /** A canary device failed; only the canary devices keep it until the CSIRT decides. */
    HALTED
  }

  /** Where a countermeasure is in its approval. */
  public enum Status {
    /** Approved; in force between its start and expiry. */
    ACTIVE,
    /** Approved once; the policy wants a second, different approver before anything is pushed. */
    PENDING_SECOND_APPROVAL,
    /** Withdrawn; removed from devices at the next generation, the record kept. */
    WITHDRAWN
  }

  /** A countermeasure as first approved, before the store gives it an id. */
  public static Countermeasure proposed(List<String> indicatorIds, Action action, Scope scope, Instant createdAt,
      Instant expiresAt, String approvedBy, String reason, Status status) {
    return proposed(indicatorIds, action, scope, createdAt, expiresAt, approvedBy, reason, status, null);
  }

  /**
   * As {@link #proposed(List, Action, Scope, Instant, Instant, String, String, Status)}, with the
   * sinkhole of a {@link Action#SINKHOLE} countermeasure (canonical; null for the other actions).
   */
  public static Countermeasure proposed(List<String> indicatorIds, Action action, Scope scope, Instant createdAt,
      Instant expiresAt, String approvedBy, String reason, Status status, String sinkhole) {
    return new Countermeasure(0, indicatorIds, action, scope, createdAt, expiresAt, approvedBy, reason, status, null,
        null, Rollout.FULL, Severity.MEDIUM, createdAt, sinkhole);
  }

  /** What a device does with matching traffic. */
  public enum Action {
    /** Drop it. */
    BLOCK,
    /** Let it pass, but log and count it (the targets that cannot log say so in their coverage). */
    ALERT,
    /**
     * Answer DNS queries for its domains with its sinkhole; DNS targets do it, the others say in
     * their coverage what they do instead. Its other terms are enforced nowhere.
     */
    SINKHOLE;

    /** The lower-case name used in the CLI and reports. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Countermeasure {
    indicatorIds = List.copyOf(indicatorIds);
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(createdAt, "createdAt");
    reason = reason == null ? "" : reason;
    Objects.requireNonNull(status, "status");
    rollout = rollout == null ? Rollout.FULL : rollout;
    severity = severity == null ? Severity.MEDIUM : severity;
    startsAt = startsAt == null || startsAt.isBefore(createdAt) ? createdAt : startsAt;
    if ((action == Action.SINKHOLE) != (sinkhole != null)) {
      throw new IllegalArgumentException(action == Action.SINKHOLE
          ? "a sinkhole countermeasure needs a sinkhole" : "only a sinkhole countermeasure has a sinkhole");
    }
  }

  /** The same countermeasure with another id and status (as stored, or after a transition). */
  public Countermeasure with(long newId, Status newStatus, String newSecondApprover) {
    return new Countermeasure(newId, indicatorIds, action, scope, createdAt, expiresAt, approvedBy, reason, newStatus,
        newSecondApprover, canary, rollout, severity, startsAt, sinkhole);
  }

  /** The same countermeasure with a canary scope: it goes to those devices first. */
  public Countermeasure withCanary(Scope canaryScope) {
    return new Countermeasure(id, indicatorIds, action, scope, createdAt, expiresAt, approvedBy, reason, status,
        secondApprover, canaryScope, canaryScope == null ? Rollout.FULL : Rollout.CANARY, severity, startsAt, sinkhole);
  }

  /** The same countermeasure with another severity. */
  public Countermeasure withSeverity(Severity newSeverity) {
    return new Countermeasure(id, indicatorIds, action, scope, createdAt, expiresAt, approvedBy, reason, status,
        secondApprover, canary, rollout, newSeverity, startsAt, sinkhole);
  }

  /** The same countermeasure coming into force at {@code start} (null or earlier: at approval). */
  public Countermeasure startingAt(Instant start) {
    return new Countermeasure(id, indicatorIds, action, scope, createdAt, expiresAt, approvedBy, reason, status,
        secondApprover, canary, rollout, severity, start, sinkhole);
  }


  /** Whether it was approved to expire at or before {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  /** Whether {@code device} gets it at this stage of the rollout. */
  public boolean reaches(Device device) {
    if (!scope.covers(device)) {
      return false;
    }
    return rollout == Rollout.FULL || (canary != null && canary.covers(device));
  }

  /** Whether it is in force at {@code now}: fully approved, started, not expired or withdrawn. */
  public boolean isActiveAt(Instant now) {
    return status == Status.ACTIVE && !startsAt.isAfter(now) && (expiresAt == null || expiresAt.isAfter(now));
  }
}
