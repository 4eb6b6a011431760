package io.bulwark.controller.store;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@link CountermeasureStore} over JDBC. */
public final class JdbcCountermeasureStore implements CountermeasureStore {
  private final Jdbi jdbi;

  public JdbcCountermeasureStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Countermeasure add(Countermeasure c) {
    return jdbi.inTransaction(
        h -> {
          long id =
              h.createUpdate(
                      "INSERT INTO countermeasures (action, scope, created_at, expires_at, approved_by, reason, status,"
                          + " canary_scope, rollout, severity, starts_at, sinkhole)"
                          + " VALUES (:action, :scope, :created, :expires, :by, :reason, :status, :canary, :rollout,"
                          + " :severity, :starts, :sinkhole)")
                  .bind("action", c.action().name())
                  .bind("scope", c.scope().text())
                  .bind("created", c.createdAt().toEpochMilli())
                  .bind("expires", Millis.of(c.expiresAt()))
                  .bind("by", c.approvedBy())
                  .bind("reason", c.reason())
                  .bind("status", c.status().name())
                  .bind("canary", c.canary() == null ? null : c.canary().text())
                  .bind("rollout", c.rollout().name())
                  .bind("severity", c.severity().name())
                  .bind("starts", c.startsAt().toEpochMilli())
                  .bind("sinkhole", c.sinkhole())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          var batch =
              h.prepareBatch(
                  "INSERT INTO countermeasure_indicators (countermeasure_id, indicator_id) VALUES (:c, :i)");
          for (String indicator : c.indicatorIds()) {
            batch.bind("c", id).bind("i", indicator).add();
          }
          batch.execute();
          return c.with(id, c.status(), c.secondApprover());
        });
  }

  @Override
  public java.util.Optional<Countermeasure> find(long id) {
    return list().stream().filter(c -> c.id() == id).findFirst();
  }

  @Override
  public boolean transition(long id, Countermeasure.Status from, Countermeasure.Status to, String by, java.time.Instant at) {
    String set = to == Countermeasure.Status.WITHDRAWN
        ? "status = :to, withdrawn_by = :by, withdrawn_at = :at"
        // In force from the second approval at the earliest: nothing was pushed before it.
        : "status = :to, second_approver = :by,"
            + " starts_at = CASE WHEN starts_at IS NULL OR starts_at < :at THEN :at ELSE starts_at END";
    return jdbi.withHandle(h -> h.createUpdate("UPDATE countermeasures SET " + set + " WHERE id = :id AND status = :from")
        .bind("to", to.name()).bind("by", by).bind("at", at.toEpochMilli()).bind("id", id).bind("from", from.name())
        .execute() == 1);
  }

  @Override
  public boolean advanceRollout(long id, Countermeasure.Rollout from, Countermeasure.Rollout to) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE countermeasures SET rollout = :to WHERE id = :id AND rollout = :from")
        .bind("to", to.name()).bind("id", id).bind("from", from.name()).execute() == 1);
  }

  @Override
  public List<Countermeasure> list() {
    return jdbi.withHandle(
        h -> {
          Map<Long, List<String>> indicators = new LinkedHashMap<>();
          h.createQuery(
                  "SELECT countermeasure_id, indicator_id FROM countermeasure_indicators"
                      + " ORDER BY countermeasure_id, indicator_id")
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
              .forEach(e -> indicators.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
          return h.createQuery("SELECT * FROM countermeasures ORDER BY id")
              .map(
                  (rs, ctx) ->
                      new Countermeasure(
                          rs.getLong("id"),
                          indicators.getOrDefault(rs.getLong("id"), List.of()),
                          Countermeasure.Action.valueOf(rs.getString("action")),
                          Scope.parse(rs.getString("scope")),
                          Millis.instant(rs, "created_at"),
                          Millis.instant(rs, "expires_at"),
                          rs.getString("approved_by"),
                          rs.getString("reason"),
                          Countermeasure.Status.valueOf(rs.getString("status")),
                          rs.getString("second_approver"),
                          rs.getString("canary_scope") == null ? null : Scope.parse(rs.getString("canary_scope")),
                          Countermeasure.Rollout.valueOf(rs.getString("rollout")),
                          Countermeasure.Severity.valueOf(rs.getString("severity")),
                          Millis.instant(rs, "starts_at"),
                          rs.getString("sinkhole")))
              .list();
        });
  }

  @Override
  public java.util.Map<Long, java.time.Instant> withdrawals() {
    return jdbi.withHandle(h -> {
      java.util.Map<Long, java.time.Instant> out = new java.util.HashMap<>();
      h.createQuery("SELECT id, withdrawn_at FROM countermeasures WHERE status = 'WITHDRAWN' AND withdrawn_at IS NOT NULL")
          .map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), java.time.Instant.ofEpochMilli(rs.getLong(2))))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }
}
