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
                      "INSERT INTO countermeasures (action, scope, created_at, expires_at, approved_by, reason)"
                          + " VALUES (:action, :scope, :created, :expires, :by, :reason)")
                  .bind("action", c.action().name())
                  .bind("scope", c.scope().text())
                  .bind("created", c.createdAt().toEpochMilli())
                  .bind("expires", Millis.of(c.expiresAt()))
                  .bind("by", c.approvedBy())
                  .bind("reason", c.reason())
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
          return new Countermeasure(
              id, c.indicatorIds(), c.action(), c.scope(), c.createdAt(), c.expiresAt(), c.approvedBy(), c.reason());
        });
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
                          rs.getString("reason")))
              .list();
        });
  }
}
