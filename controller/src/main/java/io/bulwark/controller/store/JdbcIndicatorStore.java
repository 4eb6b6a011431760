package io.bulwark.controller.store;

import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.StoredIndicator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link IndicatorStore} over JDBC: every version is kept, keyed by id and modified. */
public final class JdbcIndicatorStore implements IndicatorStore {
  private static final String LATEST =
      "SELECT v.* FROM indicator_versions v WHERE v.modified ="
          + " (SELECT MAX(m.modified) FROM indicator_versions m WHERE m.id = v.id)";

  private final Jdbi jdbi;
  private final Clock clock;

  public JdbcIndicatorStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Override
  public Offer offer(StoredIndicator i) {
    return jdbi.inTransaction(
        h -> {
          Long newest =
              h.createQuery("SELECT MAX(modified) FROM indicator_versions WHERE id = :id")
                  .bind("id", i.id())
                  .mapTo(Long.class)
                  .one();
          if (newest != null && newest >= i.modified().toEpochMilli()) {
            return Offer.UNCHANGED;
          }
          h.createUpdate(
                  "INSERT INTO indicator_versions (id, modified, name, pattern, pattern_type, valid_from,"
                      + " valid_until, revoked, source, ingested_at, json) VALUES (:id, :modified, :name,"
                      + " :pattern, :type, :from, :until, :revoked, :source, :at, :json)")
              .bind("id", i.id())
              .bind("modified", i.modified().toEpochMilli())
              .bind("name", i.name())
              .bind("pattern", i.pattern())
              .bind("type", i.patternType())
              .bind("from", Millis.of(i.validFrom()))
              .bind("until", Millis.of(i.validUntil()))
              .bind("revoked", i.revoked())
              .bind("source", i.source())
              .bind("at", clock.millis())
              .bind("json", i.json())
              .execute();
          return Offer.STORED;
        });
  }

  @Override
  public List<StoredIndicator> listLatest() {
    return jdbi.withHandle(h -> h.createQuery(LATEST + " ORDER BY v.id").map(this::indicator).list());
  }

  @Override
  public Optional<StoredIndicator> findLatest(String id) {
    return jdbi.withHandle(
        h -> h.createQuery(LATEST + " AND v.id = :id").bind("id", id).map(this::indicator).findOne());
  }

  @Override
  public List<StoredIndicator> findLatest(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(LATEST + " AND v.id IN (<ids>) ORDER BY v.id")
                .bindList("ids", List.copyOf(ids))
                .map(this::indicator)
                .list());
  }

  private StoredIndicator indicator(ResultSet rs, StatementContext ctx) throws SQLException {
    return new StoredIndicator(
        rs.getString("id"),
        Millis.instant(rs, "modified"),
        rs.getString("name"),
        rs.getString("pattern"),
        rs.getString("pattern_type"),
        Millis.instant(rs, "valid_from"),
        Millis.instant(rs, "valid_until"),
        rs.getBoolean("revoked"),
        rs.getString("source"),
        rs.getString("json"));
  }
}
