package io.bulwark.controller.store;

import io.bulwark.controller.domain.IndicatorReportStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** {@link IndicatorReportStore} over the {@code indicator_reports} table. Thread-safe. */
public final class JdbcIndicatorReportStore implements IndicatorReportStore {
  private final Jdbi jdbi;

  public JdbcIndicatorReportStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void record(Collection<String> indicatorIds, String source, Instant at) {
    record(indicatorIds, Set.of(), source, at);
  }

  @Override
  public void record(Collection<String> indicatorIds, Set<String> unreported, String source, Instant at) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(indicatorIds));
    if (ids.isEmpty()) {
      return;
    }
    long millis = at.toEpochMilli();
    jdbi.useTransaction(h -> {
      for (List<String> chunk : Chunks.of(ids)) {
        List<String> lookUp = chunk.stream().filter(id -> !unreported.contains(id)).toList();
        Set<String> known = lookUp.isEmpty() ? Set.of() : new HashSet<>(h.createQuery(
                "SELECT indicator_id FROM indicator_reports WHERE source = :s AND indicator_id IN (<ids>)")
            .bind("s", source).bindList("ids", lookUp).mapTo(String.class).list());
        if (!known.isEmpty()) {
          h.createUpdate("UPDATE indicator_reports SET times = times + 1, last_at = :at"
                  + " WHERE source = :s AND indicator_id IN (<ids>)")
              .bind("at", millis).bind("s", source).bindList("ids", List.copyOf(known)).execute();
        }
        BulkInsert insert = BulkInsert.into(h, "indicator_reports", "indicator_id", "source", "first_at", "last_at",
            "times");
        for (String id : chunk) {
          if (!known.contains(id)) {
            insert.add(id, source, millis, millis, 1);
          }
        }
        insert.execute();
      }
    });
  }

  @Override
  public Map<String, List<Report>> find(Collection<String> indicatorIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(indicatorIds));
    Map<String, List<Report>> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbi.useHandle(h -> {
      for (List<String> chunk : Chunks.of(ids)) {
        h.createQuery("SELECT indicator_id, source, first_at, last_at, times FROM indicator_reports"
                + " WHERE indicator_id IN (<ids>) ORDER BY indicator_id, source")
            .bindList("ids", chunk)
            .map((rs, ctx) -> new Report(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5)))
            .forEach(r -> out.computeIfAbsent(r.indicatorId(), k -> new ArrayList<>()).add(r));
      }
    });
    return out;
  }

  @Override
  public void recordSighting(Sighting s) {
    jdbi.useTransaction(h -> {
      Long kept = h.createQuery("SELECT modified FROM indicator_sightings WHERE sighting_id = :id")
          .bind("id", s.sightingId()).mapTo(Long.class).findOne().orElse(null);
      if (kept != null && kept >= s.modified().toEpochMilli()) {
        return;
      }
      h.createUpdate("DELETE FROM indicator_sightings WHERE sighting_id = :id").bind("id", s.sightingId()).execute();
      h.createUpdate("INSERT INTO indicator_sightings (sighting_id, indicator_id, modified, sighting_count, source)"
              + " VALUES (:id, :i, :m, :c, :s)")
          .bind("id", s.sightingId()).bind("i", s.indicatorId()).bind("m", s.modified().toEpochMilli())
          .bind("c", s.count()).bind("s", s.source()).execute();
    });
  }

  @Override
  public Map<String, Long> sightings(Collection<String> indicatorIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(indicatorIds));
    Map<String, Long> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbi.useHandle(h -> {
      for (List<String> chunk : Chunks.of(ids)) {
        h.createQuery("SELECT indicator_id, SUM(sighting_count) FROM indicator_sightings WHERE indicator_id IN (<ids>)"
                + " GROUP BY indicator_id")
            .bindList("ids", chunk)
            .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
            .forEach(e -> out.put(e.getKey(), e.getValue()));
      }
    });
    return out;
  }
}
