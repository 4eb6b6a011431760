package io.bulwark.controller.store;

import io.bulwark.controller.domain.IndicatorStore.Offer;
import io.bulwark.controller.domain.StixObjectStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link StixObjectStore} over JDBC: every version is kept, keyed by id and modified (0 for none). */
public final class JdbcStixObjectStore implements StixObjectStore {
  private static final String NEWEST = " AND o.modified = (SELECT MAX(m.modified) FROM stix_objects m WHERE m.id = o.id)";
  private final Jdbi jdbi;
  private final Clock clock;

  public JdbcStixObjectStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Override
  public List<Offer> offerAll(List<StoredObject> versions) {
    if (versions.isEmpty()) {
      return List.of();
    }
    return jdbi.inTransaction(h -> {
      Set<String> ids = new LinkedHashSet<>();
      versions.forEach(v -> ids.add(v.id()));
      Map<String, Long> newest = new HashMap<>();
      for (List<String> chunk : Chunks.of(ids)) {
        h.createQuery("SELECT id, MAX(modified) AS newest FROM stix_objects WHERE id IN (<ids>) GROUP BY id")
            .bindList("ids", chunk)
            .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getLong("newest")))
            .forEach(e -> newest.put(e.getKey(), e.getValue()));
      }
      BulkInsert rows = BulkInsert.into(h, "stix_objects", "id", "modified", "type", "spec_version", "source_ref",
          "target_ref", "source", "ingested_at", "json", "name");
      List<Offer> outcomes = new ArrayList<>(versions.size());
      long now = clock.millis();
      for (StoredObject o : versions) {
        long modified = o.modified() == null ? 0 : o.modified().toEpochMilli();
        Long stored = newest.get(o.id());
        // Marking-definitions are immutable (STIX 2.1 section 7.2.1): the first stored stays, so that
        // no later source can turn another's TLP:RED definition into something else.
        if (stored != null && (stored >= modified || o.type().equals("marking-definition"))) {
          outcomes.add(Offer.UNCHANGED);
          continue;
        }
        newest.put(o.id(), modified);
        outcomes.add(stored == null ? Offer.FIRST : Offer.STORED);
        rows.add(o.id(), modified, o.type(), o.specVersion(), o.sourceRef(), o.targetRef(), o.source(), now, o.json(), o.name());
      }
      rows.execute();
      return outcomes;
    });
  }

  @Override
  public List<StoredObject> findLatest(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> latest(h, ids));
  }

  @Override
  public List<StoredObject> relationshipsOf(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> {
      // Any version that touched the ids; the newest version of each must still touch them.
      Set<String> candidates = new LinkedHashSet<>();
      for (List<String> chunk : Chunks.of(ids)) {
        candidates.addAll(h.createQuery(
                "SELECT DISTINCT id FROM stix_objects WHERE source_ref IN (<ids>) OR target_ref IN (<ids>)")
            .bindList("ids", chunk)
            .mapTo(String.class)
            .list());
      }
      if (candidates.isEmpty()) {
        return List.of();
      }
      return latest(h, candidates).stream()
          .filter(o -> ids.contains(o.sourceRef()) || ids.contains(o.targetRef()))
          .toList();
    });
  }

  @Override
  public List<StoredObject> vulnerabilitiesNamed(Collection<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> {
      Set<String> ids = new LinkedHashSet<>();
      for (List<String> chunk : Chunks.of(names)) {
        ids.addAll(h.createQuery("SELECT DISTINCT id FROM stix_objects WHERE type = 'vulnerability'"
                + " AND name IN (<names>)")
            .bindList("names", chunk)
            .mapTo(String.class)
            .list());
      }
      return ids.isEmpty() ? List.<StoredObject>of() : latest(h, ids).stream()
          .filter(o -> o.name() != null && names.contains(o.name())).toList();
    });
  }

  private List<StoredObject> latest(Handle h, Collection<String> ids) {
    List<StoredObject> out = new ArrayList<>(ids.size());
    for (List<String> chunk : Chunks.of(new java.util.TreeSet<>(ids))) {
      out.addAll(h.createQuery("SELECT o.* FROM stix_objects o WHERE o.id IN (<ids>)" + NEWEST + " ORDER BY o.id")
          .bindList("ids", chunk)
          .map(this::object)
          .list());
    }
    return out;
  }

  private StoredObject object(ResultSet rs, StatementContext ctx) throws SQLException {
    long modified = rs.getLong("modified");
    return new StoredObject(rs.getString("id"), rs.getString("type"),
        modified == 0 ? null : Instant.ofEpochMilli(modified), rs.getString("spec_version"),
        rs.getString("source_ref"), rs.getString("target_ref"), rs.getString("source"), rs.getString("json"),
        rs.getString("name"));
  }
}
