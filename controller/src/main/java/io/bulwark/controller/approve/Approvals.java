package io.bulwark.controller.approve;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.GuardRailException;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.domain.UnknownIndicatorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns indicators into a countermeasure and the countermeasure into new desired states for
 * the devices in its scope. Thread-safe.
 */
public final class Approvals {
  private final IndicatorStore indicators;
  private final CountermeasureStore countermeasures;
  private final DeviceStore devices;
  private final IndicatorTerms terms;
  private final DesiredStates desiredStates;
  private final GuardRails guardRails;
  private final ApprovalPolicy policy;
  private final Clock clock;

  public Approvals(
      IndicatorStore indicators,
      CountermeasureStore countermeasures,
      DeviceStore devices,
      IndicatorTerms terms,
      DesiredStates desiredStates,
      GuardRails guardRails,
      ApprovalPolicy policy,
      Clock clock) {
    this.indicators = indicators;
    this.countermeasures = countermeasures;
    this.devices = devices;
    this.terms = terms;
    this.desiredStates = desiredStates;
    this.guardRails = guardRails;
    this.policy = policy;
    this.clock = clock;
  }

  /** What an approval did. */
  public record Approved(Countermeasure countermeasure, List<String> devicesChanged) {}

  /**
   * Approves the indicators as one countermeasure.
   *
   * @param expiresIn null or zero for no expiry
   * @param guardOverride empty, or why a collision with the guard rails is accepted; it is kept
   *     with the countermeasure's reason
   * @throws UnknownIndicatorException naming every id that is not stored
   * @throws InvalidRequestException when nothing in the indicators can be enforced
   * @throws GuardRailException naming each indicator and value that hits a protected address,
   *     unless {@code guardOverride} is given
   */
  public Approved approve(
      List<String> indicatorIds, Countermeasure.Action action, Scope scope, Duration expiresIn, String reason,
      String guardOverride, String approvedBy) {
    return approve(indicatorIds, action, scope, null, expiresIn, reason, guardOverride, approvedBy);
  }

  /**
   * As {@link #approve(List, Countermeasure.Action, Scope, Duration, String, String, String)},
   * staged: the devices in {@code canary} (within {@code scope}) get it first, the rest once they
   * all applied it. A null canary rolls out to the whole scope at once.
   */
  public Approved approve(
      List<String> indicatorIds, Countermeasure.Action action, Scope scope, Scope canary, Duration expiresIn,
      String reason, String guardOverride, String approvedBy) {
    return approve(indicatorIds, action, scope, canary, expiresIn, reason, guardOverride, approvedBy,
        Countermeasure.Severity.MEDIUM);
  }

  /**
   * As {@link #approve(List, Countermeasure.Action, Scope, Scope, Duration, String, String, String)},
   * with the severity the CSIRT gave it: the chase list holds the devices to that severity's deadline.
   */
  public Approved approve(
      List<String> indicatorIds, Countermeasure.Action action, Scope scope, Scope canary, Duration expiresIn,
      String reason, String guardOverride, String approvedBy, Countermeasure.Severity severity) {
    return approve(indicatorIds, action, scope, canary, expiresIn, reason, guardOverride, approvedBy, severity, null);
  }

  /**
   * As the other overloads, coming into force {@code startsIn} after now (null or zero: at once).
   * Until then nothing is pushed; the expiry counts from the start.
   */
  public Approved approve(
      List<String> indicatorIds, Countermeasure.Action action, Scope scope, Scope canary, Duration expiresIn,
      String reason, String guardOverride, String approvedBy, Countermeasure.Severity severity, Duration startsIn) {
    return approve(indicatorIds, action, scope, canary, expiresIn, reason, guardOverride, approvedBy, severity,
        startsIn, null);
  }

  /**
   * As the other overloads, with the destination of a sinkhole: a host name or one address,
   * required for {@link Countermeasure.Action#SINKHOLE} and refused for the other actions. An
   * address the guard rails protect is a collision like those of the terms.
   *
   * @throws InvalidRequestException naming what is wrong with the sinkhole
   */
  public Approved approve(
      List<String> indicatorIds, Countermeasure.Action action, Scope scope, Scope canary, Duration expiresIn,
      String reason, String guardOverride, String approvedBy, Countermeasure.Severity severity, Duration startsIn,
      String sinkhole) {
    if (startsIn != null && startsIn.isNegative()) {
      throw new InvalidRequestException("the start must not be in the past");
    }
    if (canary instanceof Scope.All) {
      throw new InvalidRequestException("a canary scope must be narrower than 'all': use tag:NAME or device:NAME");
    }
    List<StoredIndicator> found = existing(indicators, indicatorIds, "approve");
    Instant now = clock.instant();
    List<String> unusable =
        found.stream()
            .filter(i -> !i.isEnforceableAt(now) || terms.of(i).terms().isEmpty())
            .map(StoredIndicator::id)
            .collect(Collectors.toList());
    if (unusable.size() == found.size()) {
      throw new InvalidRequestException(
          "nothing to enforce: " + String.join(", ", unusable) + " (revoked, expired or without enforceable terms)");
    }
    List<String> collisions = new java.util.ArrayList<>();
    Set<io.bulwark.rules.term.Term> all = new LinkedHashSet<>();
    for (StoredIndicator i : found) {
      for (var term : terms.of(i).terms()) {
        all.add(term);
        guardRails.check(term).ifPresent(c -> collisions.add(i.id() + ": " + c));
      }
    }
    String destination = SinkholeDestinations.check(action, sinkhole, all, guardRails, collisions);
    String override = guardOverride == null ? "" : guardOverride.trim();
    if (!collisions.isEmpty() && override.isEmpty()) {
      throw new GuardRailException("refused by the guard rails: " + String.join("; ", collisions)
          + " (approve again with an override reason to accept this)");
    }
    if (!collisions.isEmpty()) {
      reason = (reason == null || reason.isEmpty() ? "" : reason + "; ") + "guard override: " + override
          + " [" + String.join("; ", collisions) + "]";
    }
    if (expiresIn != null && expiresIn.isNegative()) {
      throw new InvalidRequestException("expiry must be in the future");
    }
    Instant startsAt = startsIn == null ? now : now.plus(startsIn);
    Instant expiresAt = expiresIn == null || expiresIn.isZero() ? null : startsAt.plus(expiresIn);
    var fleet = devices.list();
    long inScope = fleet.stream().filter(d -> scope.covers(d)).count();
    if (canary != null && fleet.stream().noneMatch(d -> scope.covers(d) && canary.covers(d))) {
      throw new InvalidRequestException("canary scope " + canary.text() + " reaches no device in scope " + scope.text()
          + ": the rollout would wait for ever; name canary devices that exist, or approve without a canary");
    }
    Countermeasure.Status status = policy.needsSecondApprover(scope, inScope)
        ? Countermeasure.Status.PENDING_SECOND_APPROVAL
        : Countermeasure.Status.ACTIVE;
    Countermeasure stored = countermeasures.add(
        Countermeasure.proposed(List.copyOf(new LinkedHashSet<>(indicatorIds)), action, scope, now, expiresAt, approvedBy,
                reason, status, destination)
            .withCanary(canary).withSeverity(severity).startingAt(startsAt));
    return new Approved(stored, status == Countermeasure.Status.ACTIVE ? recompute(scope) : List.of());
  }

  /**
   * The second approval of a countermeasure the policy held back; it then goes to the devices.
   *
   * @throws InvalidRequestException when it is not waiting for one, or the same user approves twice
   */
  public Approved confirm(long id, String user) {
    Countermeasure c = countermeasures.find(id)
        .orElseThrow(() -> new InvalidRequestException("no countermeasure " + id));
    if (c.status() != Countermeasure.Status.PENDING_SECOND_APPROVAL) {
      throw new InvalidRequestException("countermeasure " + id + " is " + label(c.status()) + ", not waiting for a second approval");
    }
    if (c.approvedBy().equals(user)) {
      throw new InvalidRequestException("countermeasure " + id + " needs a second approver other than " + user);
    }
    if (!countermeasures.transition(id, Countermeasure.Status.PENDING_SECOND_APPROVAL, Countermeasure.Status.ACTIVE,
        user, clock.instant())) {
      throw new InvalidRequestException("countermeasure " + id + " changed meanwhile; look again");
    }
    return new Approved(countermeasures.find(id).orElseThrow(), recompute(c.scope()));
  }

  /** Withdraws a countermeasure: its rules leave the devices at the next generation; the record stays. */
  public Approved withdraw(long id, String user) {
    Countermeasure c = countermeasures.find(id)
        .orElseThrow(() -> new InvalidRequestException("no countermeasure " + id));
    if (c.status() == Countermeasure.Status.WITHDRAWN
        || !countermeasures.transition(id, c.status(), Countermeasure.Status.WITHDRAWN, user, clock.instant())) {
      throw new InvalidRequestException("countermeasure " + id + " is already withdrawn");
    }
    return new Approved(c.with(id, Countermeasure.Status.WITHDRAWN, c.secondApprover()), recompute(c.scope()));
  }

  /**
   * Withdrawals the CSIRT should consider: per countermeasure not yet withdrawn, each of its
   * indicators that its source has since revoked or that is past its {@code valid_until}. Their
   * terms already leave the devices at the next generation; the countermeasure stays until the
   * CSIRT withdraws it.
   */
  public java.util.Map<Long, List<String>> withdrawalProposals() {
    Instant now = clock.instant();
    java.util.Map<Long, List<String>> out = new java.util.LinkedHashMap<>();
    for (Countermeasure c : countermeasures.list()) {
      if (c.status() == Countermeasure.Status.WITHDRAWN) {
        continue;
      }
      List<String> why = new java.util.ArrayList<>();
      for (StoredIndicator i : indicators.findLatest(c.indicatorIds())) {
        if (i.revoked()) {
          why.add(i.id() + " revoked by " + (i.source() == null || i.source().isEmpty() ? "its source" : i.source()));
        } else if (i.validUntil() != null && !i.validUntil().isAfter(now)) {
          why.add(i.id() + " expired at " + i.validUntil());
        }
      }
      if (!why.isEmpty()) {
        out.put(c.id(), why);
      }
    }
    return out;
  }

  private List<String> recompute(Scope scope) {
    List<String> inScope = devices.list().stream().filter(d -> scope.covers(d)).map(d -> d.name()).toList();
    return desiredStates.recompute(inScope).stream().map(s -> s.device()).collect(Collectors.toList());
  }

  /**
   * The newest version of each named indicator, refusing an empty list or an unknown id.
   *
   * @param verb what the ids are for, for the error ("approve", "preview")
   */
  static List<StoredIndicator> existing(IndicatorStore indicators, List<String> indicatorIds, String verb) {
    Set<String> ids = new LinkedHashSet<>(indicatorIds);
    if (ids.isEmpty()) {
      throw new InvalidRequestException("name at least one indicator id to " + verb);
    }
    List<StoredIndicator> found = indicators.findLatest(ids);
    Set<String> missing = new LinkedHashSet<>(ids);
    found.forEach(i -> missing.remove(i.id()));
    if (!missing.isEmpty()) {
      throw new UnknownIndicatorException("no indicator with id " + String.join(", ", missing));
    }
    return found;
  }

  static String label(Countermeasure.Status s) {
    return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
