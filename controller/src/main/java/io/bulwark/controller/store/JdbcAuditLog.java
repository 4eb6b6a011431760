package io.bulwark.controller.store;

import io.bulwark.controller.audit.AuditChain;
import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link AuditLog} over JDBC; the head row's lock serialises appends. */
public final class JdbcAuditLog implements AuditLog {
  private static final int MAX_DETAILS = 8000;
  private final Jdbi jdbi;
  private final Clock clock;

  public JdbcAuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Override
  public AuditEntry append(String actor, String action, String subject, String details) {
    String d = details == null ? "" : details.length() > MAX_DETAILS ? details.substring(0, MAX_DETAILS) : details;
    return jdbi.inTransaction(
        h -> {
          AuditEntry.Head head =
              h.createQuery("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                  .map((rs, ctx) -> new AuditEntry.Head(rs.getLong(1), rs.getString(2)))
                  .one();
          long sequence = head.sequence() + 1;
          Instant at = clock.instant();
          String hash = AuditChain.hash(sequence, at, actor, action, subject == null ? "" : subject, d, head.hash());
          AuditEntry entry = new AuditEntry(sequence, at, actor, action, subject, d, head.hash(), hash);
          h.createUpdate(
                  "INSERT INTO audit_log (sequence, at, actor, action, subject, details, previous_hash, hash)"
                      + " VALUES (:s, :at, :actor, :action, :subject, :details, :prev, :hash)")
              .bind("s", sequence)
              .bind("at", at.toEpochMilli())
              .bind("actor", actor)
              .bind("action", action)
              .bind("subject", entry.subject())
              .bind("details", d)
              .bind("prev", head.hash())
              .bind("hash", hash)
              .execute();
          h.createUpdate("UPDATE audit_head SET sequence = :s, hash = :hash WHERE id = 1")
              .bind("s", sequence)
              .bind("hash", hash)
              .execute();
          return entry;
        });
  }

  @Override
  public List<AuditEntry> list(long afterSequence, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM audit_log WHERE sequence > :after ORDER BY sequence LIMIT :limit")
                .bind("after", afterSequence)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new AuditEntry(
                            rs.getLong("sequence"),
                            Instant.ofEpochMilli(rs.getLong("at")),
                            rs.getString("actor"),
                            rs.getString("action"),
                            rs.getString("subject"),
                            rs.getString("details"),
                            rs.getString("previous_hash"),
                            rs.getString("hash")))
                .list());
  }

  @Override
  public AuditEntry.Head head() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT sequence, hash FROM audit_head WHERE id = 1")
                .map((rs, ctx) -> new AuditEntry.Head(rs.getLong(1), rs.getString(2)))
                .one());
  }
}
