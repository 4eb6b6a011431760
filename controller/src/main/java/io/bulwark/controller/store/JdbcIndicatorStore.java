package io.bulwark.controller.store;

import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.StoredIndicator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
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
    return offerAll(List.of(i)).get(0);
  }

  @Override
  public List<Offer> offerAll(List<StoredIndicator> versions) {
    if (versions.isEmpty()) {
      return List.of();
    }
    return jdbi.inTransaction(
        h -> {
          Set<String> ids = new LinkedHashSet<>();
          versions.forEach(v -> ids.add(v.id()));
          Map<String, Long> newest = new HashMap<>();
          for (List<String> chunk : Chunks.of(ids)) {
            h.createQuery(
                    "SELECT id, MAX(modified) AS newest FROM indicator_versions WHERE id IN (<ids>)"
                        + " GROUP BY id")
                .bindList("ids", chunk)
                .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getLong("newest")))
                .forEach(e -> newest.put(e.getKey(), e.getValue()));
          }
          BulkInsert batch = BulkInsert.into(h, "indicator_versions", "id", "modified", "name", "pattern",
              "pattern_type", "valid_from", "valid_until", "revoked", "source", "ingested_at", "json", "spec_version");
          List<Offer> outcomes = new ArrayList<>(versions.size());
          long now = clock.millis();
          for (StoredIndicator i : versions) {
            long modified = i.modified().toEpochMilli();
            Long stored = newest.get(i.id());
            if (stored != null && stored >= modified) {
              outcomes.add(Offer.UNCHANGED);
              continue;
            }
            newest.put(i.id(), modified);
            outcomes.add(stored == null ? Offer.FIRST : Offer.STORED);
            batch.add(i.id(), modified, i.name(), i.pattern(), i.patternType(), Millis.of(i.validFrom()),
                Millis.of(i.validUntil()), i.revoked(), i.source(), now, i.json(), i.specVersion());
          }
          batch.execute();
          return outcomes;
        });
  }

  /** Jdbi keeps one handle per thread, so the store's own transactions inside join this one. */
  @Override
  public <T> T inOneUnit(Supplier<T> work) {
    return jdbi.inTransaction(h -> work.get());
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
    return jdbi.withHandle(h -> {
      List<StoredIndicator> out = new ArrayList<>(ids.size());
      // Sorted first, so that the chunks' results, each ordered, are ordered together.
      for (List<String> chunk : Chunks.of(new java.util.TreeSet<>(ids))) {
        out.addAll(h.createQuery(LATEST + " AND v.id IN (<ids>) ORDER BY v.id")
            .bindList("ids", chunk)
            .map(this::indicator)
            .list());
      }
      return out;
    });
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
        rs.getString("json"),
        rs.getString("spec_version"));
  }
}
