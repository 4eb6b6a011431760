package io.bulwark.controller.report;

import io.bulwark.controller.domain.Countermeasure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The devices that still lack a countermeasure in force longer than the deadline for its
 * severity after its approval, the most overdue first: who the CSIRT has to chase. Devices
 * that have it, are excepted from it, or wait for the canary are not chased.
 */
public final class ChaseList {
  private static final Set<String> NOT_LAGGING = Set.of("compliant", "excepted", "awaiting canary", "expired");
  private final ComplianceReport report;
  private final IntelMarkings withholdRedFrom;

  public ChaseList(ComplianceReport report) {
    this(report, null);
  }

  private ChaseList(ComplianceReport report, IntelMarkings markings) {
    this.report = report;
    this.withholdRedFrom = markings;
  }

  /**
   * The same list for readers who may not read TLP:RED intel: the error text of a device that a
   * countermeasure covering such intel reaches is replaced by {@link IntelMarkings#WITHHELD}
   * (device errors can quote rule values).
   */
  public ChaseList withRedWithheld(IntelMarkings markings) {
    return new ChaseList(report, java.util.Objects.requireNonNull(markings, "markings"));
  }

  /**
   * One device lagging behind one countermeasure.
   *
   * @param laggingFor since the countermeasure came into force
   * @param deadline what the SLA for {@code severity} allows
   * @param error the device's own error or drift summary, empty when none
   * @param owner who answers for the device, empty when nobody was named
   */
  public record Lagging(String device, long countermeasureId, Countermeasure.Severity severity, String state,
      Duration laggingFor, Duration deadline, String error, String owner) {
    /** How far past the deadline. */
    public Duration overdue() {
      return laggingFor.minus(deadline);
    }
  }

  /** With one deadline for every severity. */
  public List<Lagging> lagging(Duration deadline) {
    return lagging(ChaseSla.uniform(deadline));
  }

  /** Most overdue (past its own deadline) first, then by device name and countermeasure. */
  public List<Lagging> lagging(ChaseSla sla) {
    ComplianceReport.Report r = report.build();
    Map<Long, Countermeasure> byId = new HashMap<>();
    r.countermeasures().forEach(c -> byId.put(c.countermeasure().id(), c.countermeasure()));
    Set<String> withheld = withholdRedFrom == null ? Set.of() : withholdRedFrom.devicesReachedByRed(r);
    List<Lagging> out = new ArrayList<>();
    for (ComplianceReport.DeviceRow d : r.devices()) {
      Countermeasure c = byId.get(d.countermeasureId());
      if (!c.isActiveAt(r.generatedAt()) || NOT_LAGGING.contains(d.state())) {
        continue;
      }
      Duration age = Duration.between(c.startsAt(), r.generatedAt());
      Duration deadline = sla.deadlineFor(c.severity());
      if (age.compareTo(deadline) > 0) {
        String error = withheld.contains(d.device()) && !d.error().isEmpty() ? IntelMarkings.WITHHELD : d.error();
        out.add(new Lagging(d.device(), c.id(), c.severity(), d.state(), age, deadline, error, d.owner()));
      }
    }
    out.sort(Comparator.comparing(Lagging::overdue).reversed().thenComparing(Lagging::device)
        .thenComparingLong(Lagging::countermeasureId));
    return out;
  }
}
