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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per device and countermeasure: is it in place, since when, how long it took, and on what
 * evidence (the generation and digest the device reported). Countermeasures that are not
 * withdrawn are reported, for every device in their scope. A row's state is one of
 * {@code compliant}, {@code pending}, {@code applying}, {@code failed}, {@code drifted},
 * {@code offline}, {@code enrolled} (never connected), {@code excepted}, {@code awaiting canary},
 * {@code scheduled} (not in force yet) or {@code expired}.
 */
public final class ComplianceReport {
  private final DeviceStore devices;
  private final CountermeasureStore countermeasures;
  private final AuditLog audit;
  private final io.bulwark.controller.domain.ExceptionStore exceptions;
  private final io.bulwark.controller.domain.DeviceOwners owners;
  private final Clock clock;

  /** Without device owners. */
  public ComplianceReport(DeviceStore devices, CountermeasureStore countermeasures, AuditLog audit,
      io.bulwark.controller.domain.ExceptionStore exceptions, Clock clock) {
    this(devices, countermeasures, audit, exceptions, io.bulwark.controller.domain.DeviceOwners.NONE, clock);
  }

  public ComplianceReport(DeviceStore devices, CountermeasureStore countermeasures, AuditLog audit,
      io.bulwark.controller.domain.ExceptionStore exceptions, io.bulwark.controller.domain.DeviceOwners owners,
      Clock clock) {
    this.devices = devices;
    this.countermeasures = countermeasures;
    this.audit = audit;
    this.exceptions = exceptions;
    this.owners = owners;
    this.clock = clock;
  }

  /**
   * One device and one countermeasure. {@code firstApplied} and {@code timeToApply} are null when
   * never applied; {@code owner} is empty when nobody was named for the device.
   */
  public record DeviceRow(String device, long countermeasureId, String state, Instant firstApplied, Duration timeToApply,
      long appliedGeneration, String appliedDigest, String error, String exception, String owner) {}

  /**
   * One countermeasure. {@code timeToFullyApplied} is null while a device in scope (and not
   * excepted) has never applied it.
   */
  public record CountermeasureRow(Countermeasure countermeasure, int inScope, int compliant, Duration timeToFullyApplied,
      Map<String, Integer> byState) {
    public CountermeasureRow {
      byState = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byState));
    }
  }

  /** The whole report, with the audit head it was made at. */
  public record Report(Instant generatedAt, List<DeviceRow> devices, List<CountermeasureRow> countermeasures,
      AuditEntry.Head auditHead) {}

  /** Every countermeasure not withdrawn, over every device. */
  public Report build() {
    return build(null, null);
  }

  /**
   * As {@link #build()}, narrowed.
   *
   * @param since null for how things stand now (withdrawn countermeasures left out), or a period's
   *     start: countermeasures that expired before it are left out, those withdrawn during it are
   *     kept (their devices show {@code withdrawn}, with when they had applied it), and device
   *     exceptions that expired during it are shown with the word {@code expired}
   * @param devicesIn null, or only the devices in this scope (the summaries count only them)
   */
  public Report build(Instant since, io.bulwark.controller.domain.Scope devicesIn) {
    Instant now = clock.instant();
    AuditEntry.Head head = audit.head();
    Map<DeviceStore.DeviceGeneration, Set<Long>> carriedBy = devices.carriedByCurrent();
    Map<String, Instant> firstApplied = new HashMap<>();
    for (DeviceStore.FirstApplied f : devices.firstApplied()) {
      firstApplied.put(f.device() + "#" + f.countermeasureId(), f.at());
    }
    Map<String, String> excepted = new HashMap<>();
    Map<String, String> expiredExceptions = new HashMap<>();
    for (var e : exceptions.list()) {
      String text = e.reason() + " (by " + e.approvedBy() + ", until " + e.expiresAt() + ")";
      if (e.isActiveAt(now)) {
        excepted.put(e.device() + "#" + e.countermeasureId(), text);
      } else if (since != null && !e.expiresAt().isBefore(since)) {
        expiredExceptions.merge(e.device() + "#" + e.countermeasureId(), "expired: " + text, (a, b) -> a + "; " + b);
      }
    }
    Map<Long, Instant> withdrawn = since == null ? Map.of() : countermeasures.withdrawals();
    List<DeviceRow> rows = new ArrayList<>();
    List<CountermeasureRow> summaries = new ArrayList<>();
    List<Device> all = devices.list();
    Map<String, String> ownerOf = owners.all();
    for (Countermeasure c : countermeasures.list()) {
      Instant withdrawnAt = withdrawn.get(c.id());
      if ((c.status() == Countermeasure.Status.WITHDRAWN && (withdrawnAt == null || withdrawnAt.isBefore(since)))
          || (since != null && c.expiresAt() != null && c.expiresAt().isBefore(since))) {
        continue;
      }
      int inScope = 0;
      int compliant = 0;
      int neverApplied = 0;
      Map<String, Integer> byState = new HashMap<>();
      Instant last = null;
      for (Device d : all) {
        if (!c.scope().covers(d) || (devicesIn != null && !devicesIn.covers(d))) {
          continue;
        }
        inScope++;
        long applied = d.report().appliedGeneration();
        boolean carried = carriedBy.getOrDefault(new DeviceStore.DeviceGeneration(d.name(), applied), Set.of())
            .contains(c.id());
        Instant first = firstApplied.get(d.name() + "#" + c.id());
        String exception = excepted.getOrDefault(d.name() + "#" + c.id(), "");
        String state = stateOf(c, d, carried, !exception.isEmpty(), now);
        String expiredException = expiredExceptions.get(d.name() + "#" + c.id());
        if (expiredException != null) {
          exception = exception.isEmpty() ? expiredException : exception + "; " + expiredException;
        }
        byState.merge(state, 1, Integer::sum);
        if (state.equals("compliant")) {
          compliant++;
        }
        boolean exceptedNow = state.equals("excepted");
        if (!exceptedNow && first == null) {
          neverApplied++;
        } else if (!exceptedNow && (last == null || first.isAfter(last))) {
          last = first;
        }
        rows.add(new DeviceRow(d.name(), c.id(), state, first, first == null ? null : Duration.between(c.startsAt(), first),
            applied, d.report().appliedDigest(), errorOf(d), exception, ownerOf.getOrDefault(d.name(), "")));
      }
      // Historical: when the last device in scope (not excepted) first applied it, even if one
      // has gone offline or drifted since; the per-device states say how things stand now.
      Duration full = neverApplied == 0 && last != null ? Duration.between(c.startsAt(), last) : null;
      summaries.add(new CountermeasureRow(c, inScope, compliant, full, byState));
    }
    return new Report(now, rows, summaries, head);
  }

  /**
   * One device against one countermeasure. Compliant means the device last reported, while
   * connected and without drift, a generation that carries the countermeasure: an offline or
   * drifted device cannot vouch for its rules, so it is reported as such even if it once
   * applied it (the evidence columns still show when).
   */
  static String stateOf(Countermeasure c, Device d, boolean carried, boolean excepted, Instant now) {
    if (c.status() == Countermeasure.Status.WITHDRAWN) {
      return "withdrawn";
    }
    if (excepted) {
      return "excepted";
    }
    if (c.status() == Countermeasure.Status.PENDING_SECOND_APPROVAL) {
      return "awaiting second approval";
    }
    if (c.isExpiredAt(now)) {
      return "expired";
    }
    if (c.startsAt().isAfter(now)) {
      return "scheduled";
    }
    DeviceState s = d.state();
    if (s == DeviceState.OFFLINE || s == DeviceState.DRIFTED) {
      return s.label();
    }
    if (carried) {
      return "compliant";
    }
    if (!c.reaches(d)) {
      return "awaiting canary";
    }
    return s == DeviceState.COMPLIANT ? "pending" : s.label();
  }

  /** The device's own words: its apply error when failed, its drift summary when drifted. */
  private static String errorOf(Device d) {
    DeviceState s = d.state();
    return s == DeviceState.FAILED || s == DeviceState.DRIFTED ? d.report().error() : "";
  }

  /** The countermeasure's status as reports show it: active, expired, pending second approval. */
  public static String statusOf(Countermeasure c, Instant now) {
    if (c.status() == Countermeasure.Status.ACTIVE && c.isExpiredAt(now)) {
      return "expired";
    }
    return c.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
