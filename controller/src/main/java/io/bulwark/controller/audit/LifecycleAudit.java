package io.bulwark.controller.audit;

import io.bulwark.controller.domain.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Records in the audit log what changes by the clock alone: a scheduled countermeasure coming
 * into force, a countermeasure expiring, a device exception expiring. Each is recorded once, at
 * the first pass after it happened (a crash between the entry and its mark records it twice
 * rather than never). Thread-safe; meant to run with the expiry sweep.
 */
public final class LifecycleAudit {
  private final Jdbi jdbi;
  private final AuditLog audit;
  private final Clock clock;

  public LifecycleAudit(Jdbi jdbi, AuditLog audit, Clock clock) {
    this.jdbi = jdbi;
    this.audit = audit;
    this.clock = clock;
  }

  /** One event due for the log. */
  private record Event(String action, String subject, String details, String mark, long id) {}

  /**
   * Appends an entry for every event that happened and was not recorded yet.
   *
   * @return the actions recorded, in order, for example {@code countermeasure.expire}
   */
  public List<String> record() {
    long now = clock.millis();
    List<Event> due = jdbi.withHandle(h -> {
      List<Event> out = new ArrayList<>();
      h.createQuery("SELECT id, starts_at FROM countermeasures WHERE status = 'ACTIVE' AND NOT start_audited"
              + " AND starts_at IS NOT NULL AND starts_at > created_at AND starts_at <= :now ORDER BY starts_at, id")
          .bind("now", now)
          .map((rs, ctx) -> new Event("countermeasure.start", "countermeasure " + rs.getLong(1),
              "came into force at " + Instant.ofEpochMilli(rs.getLong(2)) + " as scheduled", "UPDATE countermeasures"
                  + " SET start_audited = TRUE WHERE id = :id", rs.getLong(1)))
          .forEach(out::add);
      h.createQuery("SELECT id, expires_at FROM countermeasures WHERE status = 'ACTIVE' AND NOT expiry_audited"
              + " AND expires_at IS NOT NULL AND expires_at <= :now ORDER BY expires_at, id")
          .bind("now", now)
          .map((rs, ctx) -> new Event("countermeasure.expire", "countermeasure " + rs.getLong(1),
              "expired at " + Instant.ofEpochMilli(rs.getLong(2)) + "; its rules leave the devices at their next"
                  + " generation", "UPDATE countermeasures SET expiry_audited = TRUE WHERE id = :id", rs.getLong(1)))
          .forEach(out::add);
      h.createQuery("SELECT id, device, countermeasure_id, expires_at FROM device_exceptions WHERE NOT expiry_audited"
              + " AND expires_at <= :now ORDER BY expires_at, id")
          .bind("now", now)
          .map((rs, ctx) -> new Event("exception.expire", rs.getString(2),
              "the exception from countermeasure " + rs.getLong(3) + " expired at " + Instant.ofEpochMilli(rs.getLong(4))
                  + "; the device gets it at its next generation",
              "UPDATE device_exceptions SET expiry_audited = TRUE WHERE id = :id", rs.getLong(1)))
          .forEach(out::add);
      return out;
    });
    List<String> recorded = new ArrayList<>();
    for (Event e : due) {
      audit.append("controller", e.action(), e.subject(), e.details());
      jdbi.useHandle(h -> h.createUpdate(e.mark()).bind("id", e.id()).execute());
      recorded.add(e.action());
    }
    return recorded;
  }
}
