package io.bulwark.controller.audit;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.Atomic;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link DeviceStore} that writes the changes worth auditing to the audit log: enrollment, a
 * new desired generation, a generation applied, a failure. Repeated reports that change nothing
 * (an agent saying hello again) write nothing. A change and its audit entries are stored in one
 * transaction ({@link Atomic}), so a crash cannot keep a device's applied generation and lose the
 * entry that says so.
 */
public final class AuditedDeviceStore implements DeviceStore {
  private final DeviceStore delegate;
  private final AuditLog audit;
  private final Atomic atomic;

  /** @param atomic joins the delegate's and the audit log's writes in one transaction */
  public AuditedDeviceStore(DeviceStore delegate, AuditLog audit, Atomic atomic) {
    this.delegate = delegate;
    this.audit = audit;
    this.atomic = atomic;
  }

  @Override
  public void upsertEnrolled(String name, String target, List<String> tags, Instant at) {
    atomic.inOne(() -> {
      delegate.upsertEnrolled(name, target, tags, at);
      return audit.append("device:" + name, "device.enroll", name, "target " + target + ", tags " + String.join(",", tags));
    });
  }

  @Override
  public Optional<Device> find(String name) {
    return delegate.find(name);
  }

  @Override
  public List<Device> list() {
    return delegate.list();
  }

  @Override
  public Optional<DesiredState> advanceDesired(
      String device, String target, String rules, String digest, List<Long> countermeasureIds) {
    return atomic.inOne(() -> {
      Optional<DesiredState> advanced = delegate.advanceDesired(device, target, rules, digest, countermeasureIds);
      advanced.ifPresent(s -> audit.append("controller", "desired.advance", device,
          "generation " + s.generation() + " digest " + s.digest()));
      return advanced;
    });
  }

  @Override
  public List<DesiredState> advanceDesired(List<Advance> advances) {
    return atomic.inOne(() -> {
      List<DesiredState> advanced = delegate.advanceDesired(advances);
      audit.appendAll(advanced.stream()
          .map(s -> new AuditLog.Append("controller", "desired.advance", s.device(),
              "generation " + s.generation() + " digest " + s.digest()))
          .toList());
      return advanced;
    });
  }

  @Override
  public Optional<String> ruleSet(String digest) {
    return delegate.ruleSet(digest);
  }

  @Override
  public List<Device> belowGeneration(long generation) {
    return delegate.belowGeneration(generation);
  }

  @Override
  public List<Device> lacking(long countermeasureId) {
    return delegate.lacking(countermeasureId);
  }

  @Override
  public java.util.Map<String, Device> findAll(java.util.Collection<String> names) {
    return delegate.findAll(names);
  }

  @Override
  public Map<String, ApplyReport> recordReports(List<Reported> events) {
    return atomic.inOne(() -> recordAudited(events));
  }

  private Map<String, ApplyReport> recordAudited(List<Reported> events) {
    Map<String, ApplyReport> stored = delegate.recordReports(events);
    Map<String, ApplyReport> before = new java.util.HashMap<>(stored);
    List<AuditLog.Append> entries = new java.util.ArrayList<>();
    for (Reported e : events) {
      // A device without a row stored nothing.
      if (e.report() != null && stored.containsKey(e.device())) {
        ApplyReport previous = before.get(e.device());
        change(e.device(), previous, e.report()).ifPresent(entries::add);
        // Later reports of the same device in this batch compare with this one.
        ApplyReport r = e.report();
        before.put(e.device(), r.appliedGeneration() >= previous.appliedGeneration() ? r
            : new ApplyReport(previous.appliedGeneration(), previous.appliedDigest(), r.generation(), r.outcome(), r.error(), r.at()));
      }
    }
    audit.appendAll(entries);
    return stored;
  }

  @Override
  public Map<DeviceGeneration, java.util.Set<Long>> carriedByCurrent() {
    return delegate.carriedByCurrent();
  }

  @Override
  public List<FirstApplied> firstApplied() {
    return delegate.firstApplied();
  }

  /** Housekeeping, not audited: the audit log has each forgotten generation's number and digest already. */
  @Override
  public Pruned pruneHistory(int keep) {
    return delegate.pruneHistory(keep);
  }

  @Override
  public Optional<DesiredState> currentDesired(String device) {
    return delegate.currentDesired(device);
  }

  @Override
  public Optional<Greeting> greeting(String device) {
    return delegate.greeting(device);
  }

  @Override
  public void recordReport(String device, ApplyReport report) {
    atomic.inOne(() -> {
      ApplyReport before = delegate.find(device).map(Device::report).orElse(ApplyReport.NONE);
      delegate.recordReport(device, report);
      change(device, before, report).ifPresent(e -> audit.append(e.actor(), e.action(), e.subject(), e.details()));
      return null;
    });
  }

  /** The audit entry a report is worth, given the device's previous report: none if nothing changed. */
  private static Optional<AuditLog.Append> change(String device, ApplyReport before, ApplyReport report) {
    if (report.outcome() == ApplyReport.Outcome.APPLIED && report.appliedGeneration() > before.appliedGeneration()) {
      return Optional.of(new AuditLog.Append("device:" + device, "device.applied", device,
          "generation " + report.appliedGeneration() + " digest " + report.appliedDigest()));
    } else if ((report.outcome() == ApplyReport.Outcome.FAILED || report.outcome() == ApplyReport.Outcome.DRIFTED)
        && (before.outcome() != report.outcome() || before.generation() != report.generation())) {
      String action = report.outcome() == ApplyReport.Outcome.FAILED ? "device.failed" : "device.drifted";
      return Optional.of(new AuditLog.Append("device:" + device, action, device,
          "generation " + report.generation() + ": " + firstLine(report.error())));
    }
    return Optional.empty();
  }

  @Override
  public void markConnected(String device, boolean connected, Instant at) {
    delegate.markConnected(device, connected, at);
  }

  @Override
  public void markAllDisconnected() {
    delegate.markAllDisconnected();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
