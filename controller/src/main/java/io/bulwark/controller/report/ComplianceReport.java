package io.bulwark.controller.report;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.DeviceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per device and countermeasure: is it in place, since when, how long it took, and on what
 * evidence (the generation and digest the device reported). Countermeasures that are not
 * withdrawn are reported, for every device in their scope.
 */
public final class ComplianceReport {
  private final DeviceStore devices;
  private final CountermeasureStore countermeasures;
  private final AuditLog audit;
  private final io.bulwark.controller.domain.ExceptionStore exceptions;
  private final Clock clock;

  public ComplianceReport(DeviceStore devices, CountermeasureStore countermeasures, AuditLog audit,
      io.bulwark.controller.domain.ExceptionStore exceptions, Clock clock) {
    this.devices = devices;
    this.countermeasures = countermeasures;
    this.audit = audit;
    this.exceptions = exceptions;
    this.clock = clock;
  }

  /** One device and one countermeasure. {@code firstApplied} and {@code timeToApply} are null when never applied. */
  public record DeviceRow(String device, long countermeasureId, String state, Instant firstApplied, Duration timeToApply,
      long appliedGeneration, String appliedDigest, String error, String exception) {}

  /** One countermeasure. {@code timeToFullyApplied} is null while a device in scope lacks it. */
  public record CountermeasureRow(Countermeasure countermeasure, int inScope, int compliant, Duration timeToFullyApplied) {}

  /** The whole report, with the audit head it was made at. */
  public record Report(Instant generatedAt, List<DeviceRow> devices, List<CountermeasureRow> countermeasures,
      AuditEntry.Head auditHead) {}

  public Report build() {
    Instant now = clock.instant();
    AuditEntry.Head head = audit.head();
    Map<String, Set<Long>> carriedAtGeneration = new HashMap<>();
    Map<String, Instant> firstApplied = new HashMap<>();
    for (DeviceStore.Evidence e : devices.evidence()) {
      carriedAtGeneration.computeIfAbsent(e.device() + "@" + e.generation(), k -> new HashSet<>()).add(e.countermeasureId());
      if (e.appliedAt() != null) {
        firstApplied.merge(e.device() + "#" + e.countermeasureId(), e.appliedAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, String> excepted = new HashMap<>();
    for (var e : exceptions.list()) {
      if (e.isActiveAt(now)) {
        excepted.put(e.device() + "#" + e.countermeasureId(),
            e.reason() + " (by " + e.approvedBy() + ", until " + e.expiresAt() + ")");
      }
    }
    List<DeviceRow> rows = new ArrayList<>();
    List<CountermeasureRow> summaries = new ArrayList<>();
    List<Device> all = devices.list();
    for (Countermeasure c : countermeasures.list()) {
      if (c.status() == Countermeasure.Status.WITHDRAWN) {
        continue;
      }
      int inScope = 0;
      int compliant = 0;
      Instant last = null;
      for (Device d : all) {
        if (!c.scope().covers(d.tags())) {
          continue;
        }
        inScope++;
        long applied = d.report().appliedGeneration();
        boolean carried = carriedAtGeneration.getOrDefault(d.name() + "@" + applied, Set.of()).contains(c.id());
        Instant first = firstApplied.get(d.name() + "#" + c.id());
        String exception = excepted.getOrDefault(d.name() + "#" + c.id(), "");
        String state = !exception.isEmpty() ? "excepted" : carried ? "compliant"
            : !c.reaches(d.tags()) ? "awaiting canary" : stateOf(d);
        if (carried && exception.isEmpty()) {
          compliant++;
          last = last == null || (first != null && first.isAfter(last)) ? first : last;
        }
        rows.add(new DeviceRow(d.name(), c.id(), state, first, first == null ? null : Duration.between(c.createdAt(), first),
            applied, d.report().appliedDigest(), d.state() == DeviceState.FAILED ? d.report().error() : "", exception));
      }
      Duration full = inScope > 0 && compliant == inScope - exceptedCount(excepted, c.id()) && last != null ? Duration.between(c.createdAt(), last) : null;
      summaries.add(new CountermeasureRow(c, inScope, compliant, full));
    }
    return new Report(now, rows, summaries, head);
  }

  private static long exceptedCount(Map<String, String> excepted, long countermeasureId) {
    return excepted.keySet().stream().filter(k -> k.endsWith("#" + countermeasureId)).count();
  }

  private static String stateOf(Device d) {
    DeviceState s = d.state();
    return s == DeviceState.COMPLIANT ? "pending" : s.label();
  }
}
