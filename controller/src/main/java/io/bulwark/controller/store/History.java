package io.bulwark.controller.store;

import io.bulwark.controller.domain.DeviceStore.Pruned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps the history of desired and applied generations bounded: each device keeps its generations
 * from {@code keep} below the older of its applied and desired ones (below its desired one before
 * it applied any). Before a device's older rows go, when it first applied each countermeasure they
 * carry is folded into {@code first_applied}, so compliance reports answer the same; then rule sets
 * and countermeasure sets that nothing kept refers to go too. Device rows are locked while their
 * history is pruned (a few hundred at a time), and all of them while unreferenced sets are swept, in
 * name order as every writer of many devices takes them: a report or a new generation committed
 * meanwhile is seen, and one under way waits, so a set it is about to refer to cannot go.
 */
final class History {
  /** The first generation a device keeps, from its locked row. */
  private static final String FLOOR = "(CASE WHEN d.applied_generation > 0 AND d.applied_generation < d.desired_generation"
      + " THEN d.applied_generation ELSE d.desired_generation END - :k)";

  private final Jdbi jdbi;
  /** A sweep of unreferenced sets is owed: rows were pruned and no sweep has completed since. */
  private volatile boolean sweepOwed = true;

  History(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Pruned prune(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one generation below the current ones, not " + keep);
    }
    List<String> names = jdbi.withHandle(h -> h.createQuery("SELECT d.name FROM devices d WHERE"
            + " EXISTS (SELECT 1 FROM desired_states s WHERE s.device = d.name AND s.generation < " + FLOOR + ")"
            + " OR EXISTS (SELECT 1 FROM applied_generations a WHERE a.device = d.name AND a.generation < " + FLOOR + ")"
            + " ORDER BY d.name")
        .bind("k", keep).mapTo(String.class).list());
    long generations = 0;
    long applications = 0;
    for (List<String> chunk : Chunks.of(names)) {
      long[] counts = jdbi.inTransaction(h -> pruneDevices(h, chunk, keep));
      generations += counts[0];
      applications += counts[1];
    }
    sweepOwed |= generations + applications > 0;
    long[] swept = {0, 0};
    if (sweepOwed) {
      swept = jdbi.inTransaction(History::sweep);
      sweepOwed = false;
    }
    return new Pruned(names.size(), generations, applications, swept[0], swept[1]);
  }

  /** Folds and deletes the old rows of {@code chunk}'s devices; returns the rows deleted of each table. */
  private static long[] pruneDevices(Handle h, List<String> chunk, int keep) {
    h.createQuery("SELECT name FROM devices WHERE name IN (<n>) ORDER BY name FOR UPDATE")
        .bindList("n", chunk).mapTo(String.class).list();
    Map<String, Map<Long, Long>> folded = new FirstApplications()
        .add(h, FirstApplications.appliedSets(h, " AND a.device IN (<n>) AND a.generation < " + FLOOR,
            q -> q.bindList("n", chunk).bind("k", keep)))
        .byDevice();
    Map<String, Map<Long, Long>> kept = new HashMap<>();
    FirstApplications.folded(h, " WHERE device IN (<n>)", q -> q.bindList("n", chunk),
        f -> kept.computeIfAbsent(f.device(), d -> new HashMap<>()).put(f.countermeasureId(), f.at()));
    var insert = h.prepareBatch("INSERT INTO first_applied (device, countermeasure_id, applied_at) VALUES (:d, :c, :at)");
    var earlier = h.prepareBatch("UPDATE first_applied SET applied_at = :at WHERE device = :d AND countermeasure_id = :c");
    folded.forEach((device, firsts) -> firsts.forEach((id, at) -> {
      Long known = kept.getOrDefault(device, Map.of()).get(id);
      if (known == null || at < known) {
        (known == null ? insert : earlier).bind("d", device).bind("c", id).bind("at", at).add();
      }
    }));
    if (insert.size() > 0) {
      insert.execute();
    }
    if (earlier.size() > 0) {
      earlier.execute();
    }
    long applications = h.createUpdate("DELETE FROM applied_generations WHERE device IN (<n>) AND generation <"
            + " (SELECT " + FLOOR + " FROM devices d WHERE d.name = applied_generations.device)")
        .bindList("n", chunk).bind("k", keep).execute();
    long generations = h.createUpdate("DELETE FROM desired_states WHERE device IN (<n>) AND generation <"
            + " (SELECT " + FLOOR + " FROM devices d WHERE d.name = desired_states.device)")
        .bindList("n", chunk).bind("k", keep).execute();
    return new long[] {generations, applications};
  }

  /** Deletes the rule sets and countermeasure sets nothing refers to; returns how many of each. */
  private static long[] sweep(Handle h) {
    h.createQuery("SELECT name FROM devices ORDER BY name FOR UPDATE").mapTo(String.class).list();
    Set<String> used = new HashSet<>(h.createQuery("SELECT DISTINCT digest FROM desired_states").mapTo(String.class).list());
    used.addAll(h.createQuery("SELECT DISTINCT applied_digest FROM devices WHERE applied_digest IS NOT NULL")
        .mapTo(String.class).list());
    long ruleSets = deleteUnused(h, "SELECT digest FROM rule_sets", used, "DELETE FROM rule_sets WHERE digest IN (<x>)");
    Set<String> sets = new HashSet<>(h.createQuery(
        "SELECT DISTINCT countermeasure_set FROM desired_states WHERE countermeasure_set IS NOT NULL").mapTo(String.class).list());
    long countermeasureSets = deleteUnused(h, "SELECT DISTINCT set_key FROM countermeasure_sets", sets,
        "DELETE FROM countermeasure_sets WHERE set_key IN (<x>)");
    return new long[] {ruleSets, countermeasureSets};
  }

  /** Deletes the keys {@code all} lists that are not in {@code used}; returns how many keys went. */
  private static long deleteUnused(Handle h, String all, Set<String> used, String delete) {
    List<String> unused = new ArrayList<>();
    for (String key : h.createQuery(all).mapTo(String.class).list()) {
      if (!used.contains(key)) {
        unused.add(key);
      }
    }
    for (List<String> chunk : Chunks.of(unused)) {
      h.createUpdate(delete).bindList("x", chunk).execute();
    }
    return unused.size();
  }
}
