package io.bulwark.controller.api;

import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.proto.admin.v1.ApproveResponse;
import io.bulwark.proto.admin.v1.CountermeasureRequest;
import io.bulwark.proto.admin.v1.ListCountermeasuresResponse;
import java.util.Locale;

/** Approval, its preview, second approval, withdrawal and listing of countermeasures; the caller checked the role. */
public final class CountermeasureCalls {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CountermeasureCalls.class);
  private final Approvals approvals;
  private final CountermeasureStore store;
  private final AuditLog audit;
  private final io.bulwark.controller.approve.Exceptions exceptions;
  private final io.bulwark.controller.domain.ExceptionStore exceptionStore;
  private final io.bulwark.controller.approve.CoursesOfAction courses;
  private volatile io.bulwark.controller.report.ChaseSla chaseSla = io.bulwark.controller.report.ChaseSla.DEFAULT;

  public CountermeasureCalls(Approvals approvals, CountermeasureStore store, AuditLog audit,
      io.bulwark.controller.approve.Exceptions exceptions, io.bulwark.controller.domain.ExceptionStore exceptionStore,
      io.bulwark.controller.approve.CoursesOfAction courses) {
    this.approvals = approvals;
    this.courses = courses;
    this.store = store;
    this.audit = audit;
    this.exceptions = exceptions;
    this.exceptionStore = exceptionStore;
  }

  private volatile io.bulwark.controller.approve.ImpactPreview impactPreview;

  /** Enables {@code PreviewApproval}. */
  public CountermeasureCalls withPreview(io.bulwark.controller.approve.ImpactPreview preview) {
    this.impactPreview = java.util.Objects.requireNonNull(preview, "preview");
    return this;
  }

  /**
   * The action of an approval request.
   *
   * @throws io.bulwark.controller.domain.InvalidRequestException when it is not block, alert or sinkhole
   */
  static Countermeasure.Action action(io.bulwark.proto.admin.v1.Action action) {
    return switch (action) {
      case ACTION_BLOCK -> Countermeasure.Action.BLOCK;
      case ACTION_ALERT -> Countermeasure.Action.ALERT;
      case ACTION_SINKHOLE -> Countermeasure.Action.SINKHOLE;
      default -> throw new io.bulwark.controller.domain.InvalidRequestException("action must be block, alert or sinkhole");
    };
  }

  /** {@code Approve}: one countermeasure from the request, logged and audited. */
  ApproveResponse approve(Caller.User user, io.bulwark.proto.admin.v1.ApproveRequest request) {
    var scope = io.bulwark.controller.domain.Scope.parse(request.getScope());
    var canary = request.getCanaryScope().isEmpty() ? null
        : io.bulwark.controller.domain.Scope.parse(request.getCanaryScope());
    var expansion = courses.expand(request.getIndicatorIdsList());
    String reason = expansion.courses().isEmpty() ? request.getReason()
        : request.getReason().isBlank() ? expansion.describe() : request.getReason() + "; " + expansion.describe();
    Approvals.Approved approved = approvals.approve(expansion.ids(), action(request.getAction()), scope,
        canary, java.time.Duration.ofSeconds(request.getExpiresInSeconds()), reason,
        request.getGuardOverride(), user.name(), Countermeasure.Severity.parse(request.getSeverity()),
        java.time.Duration.ofSeconds(request.getStartsInSeconds()), request.getSinkhole());
    Countermeasure c = approved.countermeasure();
    log.info("user {} approved countermeasure {} ({} indicators, scope {}); {} devices get a new generation",
        user.name(), c.id(), c.indicatorIds().size(), c.scope().text(), approved.devicesChanged().size());
    if (c.status() != Countermeasure.Status.ACTIVE) {
      log.info("countermeasure {} waits for a second approver", c.id());
    }
    audit.append(user.name(), "countermeasure.approve", "countermeasure " + c.id(),
        "action " + c.action().label() + (c.sinkhole() == null ? "" : ", sinkhole " + c.sinkhole()) + ", severity "
            + c.severity().label() + ", scope " + c.scope().text() + ", starts " + c.startsAt() + ", expires "
            + c.expiresAt() + ", indicators " + String.join(",", c.indicatorIds()) + ", reason: " + c.reason());
    return response(approved);
  }

  io.bulwark.proto.admin.v1.ApprovalImpact preview(io.bulwark.proto.admin.v1.ApproveRequest request) {
    if (impactPreview == null) {
      throw new IllegalStateException("approval previews are not enabled on this controller");
    }
    var scope = io.bulwark.controller.domain.Scope.parse(request.getScope());
    var canary = request.getCanaryScope().isEmpty() ? null
        : io.bulwark.controller.domain.Scope.parse(request.getCanaryScope());
    var expansion = courses.expand(request.getIndicatorIdsList());
    var impact = impactPreview.preview(expansion.ids(), action(request.getAction()), scope, canary,
        request.getSinkhole());
    var out = io.bulwark.proto.admin.v1.ApprovalImpact.newBuilder().setDevicesInScope(impact.devicesInScope())
        .setCanaryDevices(impact.canaryDevices()).setTerms(impact.terms())
        .addAllUnusableIndicators(impact.unusable()).addAllGuardCollisions(impact.guardCollisions())
        .setNeedsSecondApprover(impact.needsSecondApprover())
        .setSinkhole(impact.sinkhole() == null ? "" : impact.sinkhole());
    expansion.courses().forEach((id, c) -> out.addCoursesOfAction(id + (c.name().isEmpty() ? "" : " '" + c.name() + "'")
        + ": " + c.indicators().size() + " indicators"));
    for (var t : impact.targets()) {
      var target = io.bulwark.proto.admin.v1.TargetImpact.newBuilder().setTarget(t.target()).setDevices(t.devices())
          .setCanaryDevices(t.canaryDevices()).setTermsEnforced(t.termsEnforced()).setTermsLeftOut(t.termsLeftOut())
          .setProblem(t.problem());
      t.coverage().forEach(c -> target.addCoverage(io.bulwark.proto.admin.v1.IndicatorCoverage.newBuilder()
          .setIndicatorId(c.indicatorId()).setCoverage(c.coverage()).setReason(c.reason())));
      out.addTargets(target);
    }
    return out.build();
  }

  /** The deadlines {@code bulwark chase} uses when the request names none. */
  public CountermeasureCalls withChaseSla(io.bulwark.controller.report.ChaseSla sla) {
    this.chaseSla = java.util.Objects.requireNonNull(sla, "sla");
    return this;
  }

  /** {@code Chase}; device errors are withheld as in {@link #report} when the reader may not read TLP:RED intel. */
  io.bulwark.proto.admin.v1.ChaseResponse chase(io.bulwark.controller.report.ComplianceReport report,
      io.bulwark.proto.admin.v1.ChaseRequest request, io.bulwark.controller.report.IntelMarkings markings,
      boolean mayReadRed) {
    if (request.getAfterSeconds() < 0) {
      throw new io.bulwark.controller.domain.InvalidRequestException("after_seconds must not be negative");
    }
    var sla = request.getAfterSeconds() > 0
        ? io.bulwark.controller.report.ChaseSla.uniform(java.time.Duration.ofSeconds(request.getAfterSeconds()))
        : chaseSla;
    var overrides = new java.util.LinkedHashMap<String, java.time.Duration>();
    request.getSlaSecondsMap().forEach((k, v) -> overrides.put(k, java.time.Duration.ofSeconds(v)));
    sla = sla.with(overrides);
    var out = io.bulwark.proto.admin.v1.ChaseResponse.newBuilder();
    var list = new io.bulwark.controller.report.ChaseList(report);
    for (var l : (mayReadRed ? list : list.withRedWithheld(markings)).lagging(sla)) {
      out.addDevices(io.bulwark.proto.admin.v1.LaggingDevice.newBuilder().setDevice(l.device())
          .setCountermeasureId(l.countermeasureId()).setState(l.state()).setLaggingSeconds(l.laggingFor().toSeconds())
          .setError(l.error()).setSeverity(l.severity().label()).setDeadlineSeconds(l.deadline().toSeconds()).setOwner(l.owner()));
    }
    return out.build();
  }

  io.bulwark.proto.admin.v1.DeviceExceptionEntry addException(Caller.User user,
      io.bulwark.proto.admin.v1.AddExceptionRequest request) {
    var e = exceptions.add(request.getCountermeasureId(), request.getDevice(), request.getReason(),
        java.time.Duration.ofSeconds(request.getExpiresInSeconds()), user.name());
    audit.append(user.name(), "exception.add", e.device(),
        "countermeasure " + e.countermeasureId() + " until " + e.expiresAt() + ": " + e.reason());
    return entry(e);
  }

  io.bulwark.proto.admin.v1.ListExceptionsResponse listExceptions() {
    var out = io.bulwark.proto.admin.v1.ListExceptionsResponse.newBuilder();
    exceptionStore.list().forEach(e -> out.addExceptions(entry(e)));
    return out.build();
  }

  private static io.bulwark.proto.admin.v1.DeviceExceptionEntry entry(io.bulwark.controller.domain.DeviceException e) {
    return io.bulwark.proto.admin.v1.DeviceExceptionEntry.newBuilder().setId(e.id())
        .setCountermeasureId(e.countermeasureId()).setDevice(e.device()).setReason(e.reason())
        .setApprovedBy(e.approvedBy()).setCreatedAtMillis(e.createdAt().toEpochMilli())
        .setExpiresAtMillis(e.expiresAt().toEpochMilli()).build();
  }

  /** The response to any approval step. */
  static ApproveResponse response(Approvals.Approved a) {
    return ApproveResponse.newBuilder().setCountermeasureId(a.countermeasure().id()).addAllDevices(a.devicesChanged())
        .setStatus(label(a.countermeasure().status())).build();
  }

  ApproveResponse confirm(Caller.User user, CountermeasureRequest request) {
    Approvals.Approved a = approvals.confirm(request.getCountermeasureId(), user.name());
    audit.append(user.name(), "countermeasure.confirm", "countermeasure " + a.countermeasure().id(),
        "second approval; " + a.devicesChanged().size() + " devices get a new generation");
    return response(a);
  }

  ApproveResponse withdraw(Caller.User user, CountermeasureRequest request) {
    Approvals.Approved a = approvals.withdraw(request.getCountermeasureId(), user.name());
    audit.append(user.name(), "countermeasure.withdraw", "countermeasure " + a.countermeasure().id(),
        "reason: " + request.getReason() + "; " + a.devicesChanged().size() + " devices get a new generation");
    return response(a);
  }

  /** {@code ListCountermeasures}; the reason of one that covers TLP:RED intel is withheld unless the reader may read it. */
  ListCountermeasuresResponse list(io.bulwark.controller.report.IntelMarkings markings, boolean mayReadRed) {
    var out = ListCountermeasuresResponse.newBuilder();
    var proposals = approvals.withdrawalProposals();
    var all = store.list();
    var counts = markings.of(all);
    for (Countermeasure c : all) {
      String reason = !mayReadRed && counts.get(c.id()).holdsRed() ? io.bulwark.controller.report.IntelMarkings.WITHHELD
          : c.reason();
      out.addCountermeasures(io.bulwark.proto.admin.v1.Countermeasure.newBuilder().setId(c.id())
          .addAllIndicatorIds(c.indicatorIds()).setAction(c.action().name().toLowerCase(Locale.ROOT))
          .setScope(c.scope().text()).setCreatedAtMillis(c.createdAt().toEpochMilli())
          .setExpiresAtMillis(c.expiresAt() == null ? 0 : c.expiresAt().toEpochMilli()).setApprovedBy(c.approvedBy())
          .setSecondApprover(c.secondApprover() == null ? "" : c.secondApprover()).setStatus(label(c.status()))
          .setReason(reason).setCanaryScope(c.canary() == null ? "" : c.canary().text())
          .setRollout(c.rollout().name().toLowerCase(Locale.ROOT)).setSeverity(c.severity().label())
          .setStartsAtMillis(c.startsAt().toEpochMilli()).setSinkhole(c.sinkhole() == null ? "" : c.sinkhole())
          .setWithdrawalProposed(String.join("; ", proposals.getOrDefault(c.id(), java.util.List.of()))));
    }
    return out.build();
  }

  /**
   * The compliance report as the admin API returns it. Every reader sees how many indicators each
   * countermeasure covers and how many are TLP:RED; a reader who may not read TLP:RED intel does
   * not get the reason of a countermeasure that covers some, nor the error text of a device such a
   * countermeasure reaches (device errors can quote rule values).
   */
  public static io.bulwark.proto.admin.v1.ComplianceReportResponse report(io.bulwark.controller.report.ComplianceReport.Report r,
      io.bulwark.controller.report.IntelMarkings markings, boolean mayReadRed) {
    var counts = markings.of(r.countermeasures().stream().map(c -> c.countermeasure()).toList());
    java.util.Set<String> redDevices = io.bulwark.controller.report.IntelMarkings.devicesReachedByRed(r, counts);
    String withheld = io.bulwark.controller.report.IntelMarkings.WITHHELD;
    var out = io.bulwark.proto.admin.v1.ComplianceReportResponse.newBuilder()
        .setGeneratedAtMillis(r.generatedAt().toEpochMilli())
        .setAuditHeadSequence(r.auditHead().sequence())
        .setAuditHeadHash(r.auditHead().hash());
    for (var d : r.devices()) {
      String error = !mayReadRed && redDevices.contains(d.device()) && !d.error().isEmpty() ? withheld : d.error();
      out.addDevices(io.bulwark.proto.admin.v1.DeviceCompliance.newBuilder().setDevice(d.device())
          .setCountermeasureId(d.countermeasureId()).setState(d.state())
          .setFirstAppliedAtMillis(d.firstApplied() == null ? 0 : d.firstApplied().toEpochMilli())
          .setTimeToApplyMillis(d.timeToApply() == null ? -1 : d.timeToApply().toMillis())
          .setAppliedGeneration(d.appliedGeneration()).setAppliedDigest(d.appliedDigest()).setError(error)
          .setException(d.exception()).setOwner(d.owner()));
    }
    for (var c : r.countermeasures()) {
      Countermeasure m = c.countermeasure();
      var count = counts.get(m.id());
      out.addCountermeasures(io.bulwark.proto.admin.v1.CountermeasureCompliance.newBuilder().setCountermeasureId(m.id())
          .setStatus(io.bulwark.controller.report.ComplianceReport.statusOf(m, r.generatedAt()))
          .setScope(m.scope().text()).setDevicesInScope(c.inScope()).setSeverity(m.severity().label())
          .putAllDevicesByState(c.byState()).setStartsAtMillis(m.startsAt().toEpochMilli())
          .setDevicesCompliant(c.compliant())
          .setTimeToFullyAppliedMillis(c.timeToFullyApplied() == null ? -1 : c.timeToFullyApplied().toMillis())
          .setApprovedBy(m.approvedBy()).setSecondApprover(m.secondApprover() == null ? "" : m.secondApprover())
          .setApprovedAtMillis(m.createdAt().toEpochMilli()).setAction(m.action().label())
          .setSinkhole(m.sinkhole() == null ? "" : m.sinkhole())
          .setReason(!mayReadRed && count.holdsRed() ? withheld : m.reason())
          .setIndicators(count.indicators()).setIndicatorsTlpRed(count.red()));
    }
    return out.build();
  }

  static String label(Countermeasure.Status s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
