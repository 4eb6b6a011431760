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
    return appendAll(List.of(new Append(actor, action, subject, details))).get(0);
  }

  @Override
  public List<AuditEntry> appendAll(List<Append> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    return jdbi.inTransaction(
        h -> {
          AuditEntry.Head head =
              h.createQuery("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                  .map((rs, ctx) -> new AuditEntry.Head(rs.getLong(1), rs.getString(2)))
                  .one();
          Instant at = clock.instant();
          var insert = h.prepareBatch(
              "INSERT INTO audit_log (sequence, at, actor, action, subject, details, previous_hash, hash)"
                  + " VALUES (:s, :at, :actor, :action, :subject, :details, :prev, :hash)");
          List<AuditEntry> appended = new java.util.ArrayList<>(entries.size());
          long sequence = head.sequence();
          String previous = head.hash();
          for (Append e : entries) {
            String d = e.details() == null ? "" : e.details().length() > MAX_DETAILS ? e.details().substring(0, MAX_DETAILS) : e.details();
            String subject = e.subject() == null ? "" : e.subject();
            sequence++;
            String hash = AuditChain.hash(sequence, at, e.actor(), e.action(), subject, d, previous);
            AuditEntry entry = new AuditEntry(sequence, at, e.actor(), e.action(), e.subject(), d, previous, hash);
            insert.bind("s", sequence).bind("at", at.toEpochMilli()).bind("actor", e.actor()).bind("action", e.action())
                .bind("subject", entry.subject()).bind("details", d).bind("prev", previous).bind("hash", hash).add();
            appended.add(entry);
            previous = hash;
          }
          insert.execute();
          h.createUpdate("UPDATE audit_head SET sequence = :s, hash = :hash WHERE id = 1")
              .bind("s", sequence)
              .bind("hash", previous)
              .execute();
          return appended;
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
  public AuditEntry.Head archived() {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT through_sequence, hash FROM audit_archives ORDER BY through_sequence DESC LIMIT 1")
        .map((rs, ctx) -> new AuditEntry.Head(rs.getLong(1), rs.getString(2)))
        .findOne()
        .orElse(new AuditEntry.Head(0, "")));
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
