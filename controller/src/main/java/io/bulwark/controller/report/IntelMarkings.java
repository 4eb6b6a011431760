package io.bulwark.controller.report;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.ingest.Tlp;
import io.bulwark.controller.ingest.TlpMarkings;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many indicators each countermeasure covers and how many of them are marked TLP:RED (those
 * under a marking not stored count with them): what a report may say about intel it does not show
 * to every reader. Thread-safe.
 */
public final class IntelMarkings {
  /** What a report withholds from readers outside the CSIRT, in place of the withheld text. */
  public static final String WITHHELD = "(withheld: TLP:RED intel; the csirt role can read it)";

  private final IndicatorStore indicators;
  private final TlpMarkings tlp;

  public IntelMarkings(IndicatorStore indicators, TlpMarkings tlp) {
    this.indicators = indicators;
    this.tlp = tlp;
  }

  /** The indicators a countermeasure covers, and how many of those are TLP:RED. */
  public record Counts(int indicators, int red) {
    /** Whether the countermeasure covers TLP:RED intel. */
    public boolean holdsRed() {
      return red > 0;
    }
  }

  /** The devices that a countermeasure covering TLP:RED intel reaches, in {@code report}. */
  public Set<String> devicesReachedByRed(ComplianceReport.Report report) {
    return devicesReachedByRed(report, of(report.countermeasures().stream().map(c -> c.countermeasure()).toList()));
  }

  /** The same, from the {@link #of counts} of the report's countermeasures. */
  public static Set<String> devicesReachedByRed(ComplianceReport.Report report, Map<Long, Counts> counts) {
    Set<String> out = new java.util.HashSet<>();
    for (ComplianceReport.DeviceRow d : report.devices()) {
      Counts c = counts.get(d.countermeasureId());
      if (c != null && c.holdsRed()) {
        out.add(d.device());
      }
    }
    return out;
  }

  /**
   * Those of {@code indicatorIds} whose newest version is withheld from readers outside the CSIRT
   * (TLP:RED, or a marking not stored); unknown ids are not.
   */
  public Set<String> withheld(Collection<String> indicatorIds) {
    if (indicatorIds.isEmpty()) {
      return Set.of();
    }
    List<StoredIndicator> found = indicators.findLatest(indicatorIds);
    List<Tlp> marks = tlp.ofAll(found.stream().map(StoredIndicator::json).toList());
    Set<String> out = new java.util.HashSet<>();
    for (int i = 0; i < found.size(); i++) {
      if (marks.get(i).withheld()) {
        out.add(found.get(i).id());
      }
    }
    return out;
  }

  /** The counts of each countermeasure, by id, from the newest version of each indicator. */
  public Map<Long, Counts> of(Collection<Countermeasure> countermeasures) {
    Set<String> ids = new LinkedHashSet<>();
    countermeasures.forEach(c -> ids.addAll(c.indicatorIds()));
    Set<String> red = withheld(ids);
    Map<Long, Counts> out = new HashMap<>();
    for (Countermeasure c : countermeasures) {
      Set<String> covered = new LinkedHashSet<>(c.indicatorIds());
      int reds = (int) covered.stream().filter(red::contains).count();
      out.put(c.id(), new Counts(covered.size(), reds));
    }
    return out;
  }
}
