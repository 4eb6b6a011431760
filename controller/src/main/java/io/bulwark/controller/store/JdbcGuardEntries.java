package io.bulwark.controller.store;

import io.bulwark.controller.domain.GuardEntry;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The CSIRT's guard list over JDBC, one row per value. Thread-safe. */
public final class JdbcGuardEntries {
  private final Jdbi jdbi;

  public JdbcGuardEntries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Every entry, ordered by value. */
  public List<GuardEntry> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM guard_entries ORDER BY guarded")
        .map((rs, ctx) -> new GuardEntry(rs.getString("guarded"), GuardEntry.Effect.valueOf(rs.getString("effect")),
            rs.getString("reason"), rs.getString("added_by"), Instant.ofEpochMilli(rs.getLong("added_at"))))
        .list());
  }

  /** Adds the entry, or replaces the one with the same value; true when the value was new. */
  public boolean put(GuardEntry e) {
    return jdbi.inTransaction(h -> {
      int removed = h.createUpdate("DELETE FROM guard_entries WHERE guarded = :v").bind("v", e.value()).execute();
      h.createUpdate("INSERT INTO guard_entries (guarded, effect, reason, added_by, added_at)"
              + " VALUES (:v, :e, :r, :b, :a)")
          .bind("v", e.value()).bind("e", e.effect().name()).bind("r", e.reason()).bind("b", e.addedBy())
          .bind("a", e.addedAt().toEpochMilli()).execute();
      return removed == 0;
    });
  }

  /** Removes the entry with this value; false when there was none. */
  public boolean remove(String value) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM guard_entries WHERE guarded = :v").bind("v", value).execute())
        > 0;
  }
}
