package io.bulwark.controller.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * When each device first applied a generation carrying each countermeasure, worked out from when
 * it first applied each countermeasure set: the databases join a device's few sets with their
 * contents far more slowly (one row per device, generation and countermeasure, grouped) than the
 * few distinct sets are read once and spread here: 10,000 devices with 100 countermeasures each in
 * 0.4-0.5 s instead of 2.4 s (PostgreSQL) and 4.9-7.4 s (H2).
 */
final class FirstApplications {
  /** {@code device} first applied a generation carrying set {@code setKey} at {@code at} (epoch ms). */
  record Applied(String device, String setKey, long at) {}

  /** By device, then countermeasure id: the earliest time (epoch ms). */
  private final Map<String, Map<Long, Long>> earliest = new HashMap<>();
  /** The contents of the sets read so far, by key: sets never change once stored. */
  private final Map<String, List<Long>> sets = new HashMap<>();

  /** Counts in each countermeasure of each set of {@code applied}, reading the sets not read yet. */
  FirstApplications add(Handle h, List<Applied> applied) {
    List<String> unread = applied.stream().map(Applied::setKey).distinct().filter(k -> !sets.containsKey(k)).toList();
    for (List<String> chunk : Chunks.of(unread)) {
      h.createQuery("SELECT set_key, countermeasure_id FROM countermeasure_sets WHERE set_key IN (<k>)")
          .bindList("k", chunk)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(row -> sets.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue()));
    }
    for (Applied a : applied) {
      for (long id : sets.getOrDefault(a.setKey(), List.of())) {
        add(a.device(), id, a.at());
      }
    }
    return this;
  }

  /** Counts in one device's first application of one countermeasure. */
  void add(String device, long countermeasureId, long at) {
    earliest.computeIfAbsent(device, d -> new HashMap<>()).merge(countermeasureId, at, Math::min);
  }

  /** By device, then countermeasure id: the earliest time (epoch ms). */
  Map<String, Map<Long, Long>> byDevice() {
    return earliest;
  }

  /**
   * When each device first applied each countermeasure set, for the rows {@code where} selects
   * from {@code applied_generations a}, {@code desired_states s} and {@code devices d} ({@code
   * bind} binds its parameters).
   */
  static List<Applied> appliedSets(Handle h, String where, UnaryOperator<Query> bind) {
    return bind.apply(h.createQuery("SELECT a.device, s.countermeasure_set, MIN(a.applied_at) FROM applied_generations a"
            + " JOIN desired_states s ON s.device = a.device AND s.generation = a.generation"
            + " JOIN devices d ON d.name = a.device"
            + " WHERE s.countermeasure_set IS NOT NULL" + where
            + " GROUP BY a.device, s.countermeasure_set"))
        .map((rs, ctx) -> new Applied(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list();
  }

  /** One row of {@code first_applied}: folded from generations pruned from the history. */
  record Folded(String device, long countermeasureId, long at) {}

  /** The rows of {@code first_applied} that {@code where} selects ({@code bind} binds its parameters), to {@code into}. */
  static void folded(Handle h, String where, UnaryOperator<Query> bind, Consumer<Folded> into) {
    bind.apply(h.createQuery("SELECT device, countermeasure_id, applied_at FROM first_applied" + where))
        .map((rs, ctx) -> new Folded(rs.getString(1), rs.getLong(2), rs.getLong(3)))
        .forEach(into);
  }
}
