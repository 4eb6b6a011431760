package io.bulwark.controller.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices that still lack an active countermeasure longer than the deadline after its
 * approval, the most overdue first: who the CSIRT has to chase.
 */
public final class ChaseList {
  private final ComplianceReport report;

  public ChaseList(ComplianceReport report) {
    this.report = report;
  }

  /** One device lagging behind one countermeasure. */
  public record Lagging(String device, long countermeasureId, String state, Duration laggingFor, String error) {}

  public List<Lagging> lagging(Duration deadline) {
    ComplianceReport.Report r = report.build();
    Map<Long, ComplianceReport.CountermeasureRow> byId = new HashMap<>();
    r.countermeasures().forEach(c -> byId.put(c.countermeasure().id(), c));
    List<Lagging> out = new ArrayList<>();
    for (ComplianceReport.DeviceRow d : r.devices()) {
      var c = byId.get(d.countermeasureId()).countermeasure();
      Duration age = Duration.between(c.createdAt(), r.generatedAt());
      if (c.status() == io.bulwark.controller.domain.Countermeasure.Status.ACTIVE
          && !d.state().equals("compliant") && !d.state().equals("excepted") && age.compareTo(deadline) > 0) {
        out.add(new Lagging(d.device(), d.countermeasureId(), d.state(), age, d.error()));
      }
    }
    out.sort(Comparator.comparing(Lagging::laggingFor).reversed().thenComparing(Lagging::device));
    return out;
  }
}
