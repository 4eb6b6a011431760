package io.bulwark.controller.report;

import io.bulwark.controller.domain.Countermeasure.Severity;
import io.bulwark.controller.domain.InvalidRequestException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How long after approval a device may lack a countermeasure before it is chased, per severity
 * of the countermeasure. Immutable.
 */
public final class ChaseSla {
  /** 4 hours for critical, a day for high, three days for medium, a week for low. */
  public static final ChaseSla DEFAULT = new ChaseSla(Map.of(Severity.CRITICAL, Duration.ofHours(4),
      Severity.HIGH, Duration.ofHours(24), Severity.MEDIUM, Duration.ofDays(3), Severity.LOW, Duration.ofDays(7)));

  private final Map<Severity, Duration> deadlines;

  private ChaseSla(Map<Severity, Duration> deadlines) {
    this.deadlines = new EnumMap<>(deadlines);
  }

  /** The same deadline for every severity. */
  public static ChaseSla uniform(Duration deadline) {
    Map<Severity, Duration> all = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      all.put(s, check(s.label(), deadline));
    }
    return new ChaseSla(all);
  }

  /**
   * The defaults with some deadlines replaced, keyed by severity label ({@code critical},
   * {@code high}, {@code medium}, {@code low}).
   *
   * @throws InvalidRequestException naming an unknown severity or a deadline that is not positive
   */
  public ChaseSla with(Map<String, Duration> overrides) {
    Map<Severity, Duration> merged = new EnumMap<>(deadlines);
    overrides.forEach((label, deadline) -> {
      Severity s;
      try {
        s = Severity.parse(label.isBlank() ? "?" : label);
      } catch (InvalidRequestException e) {
        throw new InvalidRequestException("SLA for '" + label + "': use critical, high, medium or low");
      }
      merged.put(s, check(label, deadline));
    });
    return new ChaseSla(merged);
  }

  /** How long a device may lack a countermeasure of this severity. */
  public Duration deadlineFor(Severity severity) {
    return deadlines.get(severity);
  }

  /** Every severity's deadline, most urgent first. */
  public Map<Severity, Duration> deadlines() {
    return new EnumMap<>(deadlines);
  }

  private static Duration check(String label, Duration deadline) {
    if (deadline == null || deadline.isNegative()) {
      throw new InvalidRequestException("SLA for " + label + " must not be negative");
    }
    return deadline;
  }

  @Override
  public String toString() {
    return deadlines.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
