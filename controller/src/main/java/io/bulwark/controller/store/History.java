package io.bulwark.controller.store;

import io.bulwark.controller.domain.DeviceStore.Pruned;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps the history of desired and applied generations bounded: each device that applied a
 * generation keeps its generations from {@code keep} below the older of its applied and desired
 * ones (a device that never applied one, ten times as many below its desired one). Before
 * a device's older rows go, when it first applied each countermeasure they carry is folded into
 * {@code first_applied}, so compliance reports answer the same; then rule sets and countermeasure
 * sets that nothing kept refers to go too.
 *
 * <p>Locks: a device's rows are pruned with its row locked (100 devices a transaction, in name
 * order, as advances take them), so its applied and desired generations cannot move meanwhile; a
 * report waits for one such step at most. Sets are deleted holding the row of {@code
 * shared_sets_lock}, which every advance takes first: an advance that found a set in place and
 * refers to it has committed before the sweep looks again, or looks the set up after the sweep.
 */
final class History {
  /**
   * The first generation a device keeps, from its locked row; before it applied one, ten times as
   * many below its desired one (a late report may name any of those).
   */
  private static final String FLOOR = "(CASE WHEN d.applied_generation = 0 THEN d.desired_generation - 10 * :k"
      + " WHEN d.applied_generation < d.desired_generation THEN d.applied_generation - :k"
      + " ELSE d.desired_generation - :k END)";
  private static final int DEVICES_PER_STEP = 100;

  private final Jdbi jdbi;
  /** A sweep of unreferenced sets is owed: rows were pruned and no sweep has completed since. */
  private volatile boolean sweepOwed = true;

  History(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Takes the lock that keeps sets from being swept; first in a transaction that stores new generations. */
  static void holdSharedSets(Handle h) {
    if (h.createQuery("SELECT id FROM shared_sets_lock WHERE id = 1 FOR UPDATE").mapTo(Integer.class).list().isEmpty()) {
      throw new IllegalStateException("the row of shared_sets_lock is missing (see migration V20): cannot lock the shared sets");
    }
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
    try {
      for (int from = 0; from < names.size(); from += DEVICES_PER_STEP) {
        List<String> step = names.subList(from, Math.min(names.size(), from + DEVICES_PER_STEP));
        long[] counts = jdbi.inTransaction(h -> pruneDevices(h, step, keep));
        generations += counts[0];
        applications += counts[1];
      }
    } finally {
      sweepOwed |= generations + applications > 0;
    }
    long[] swept = {0, 0};
    if (sweepOwed) {
      swept = sweep();
      sweepOwed = false;
    }
    return new Pruned(names.size(), generations, applications, swept[0], swept[1]);
  }

  /** Folds and deletes the old rows of {@code step}'s devices; returns the rows deleted of each table. */
  private static long[] pruneDevices(Handle h, List<String> step, int keep) {
    h.createQuery("SELECT name FROM devices WHERE name IN (<n>) ORDER BY " + Database.nameOrder(h) + " FOR UPDATE")
        .bindList("n", step).mapTo(String.class).list();
    Map<String, Map<Long, Long>> folded = new FirstApplications()
        .add(h, FirstApplications.appliedSets(h, " AND a.device IN (<n>) AND a.generation < " + FLOOR,
            q -> q.bindList("n", step).bind("k", keep)))
        .byDevice();
    Map<String, Map<Long, Long>> kept = new HashMap<>();
    FirstApplications.folded(h, " WHERE device IN (<n>)", q -> q.bindList("n", step),
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
        .bindList("n", step).bind("k", keep).execute();
    long generations = h.createUpdate("DELETE FROM desired_states WHERE device IN (<n>) AND generation <"
            + " (SELECT " + FLOOR + " FROM devices d WHERE d.name = desired_states.device)")
        .bindList("n", step).bind("k", keep).execute();
    return new long[] {generations, applications};
  }

  /**
   * Deletes the rule sets and countermeasure sets nothing refers to; returns how many of each. The
   * candidates are found without a lock; holding the sets' lock, what refers to sets is read again
   * (once each, whole: the columns have no index) and the candidates still unreferenced go.
   */
  private long[] sweep() {
    List<String> ruleSets = jdbi.withHandle(h -> unused(
        h.createQuery("SELECT digest FROM rule_sets").mapTo(String.class).list(), referredRuleSets(h)));
    List<String> sets = jdbi.withHandle(h -> unused(
        h.createQuery("SELECT DISTINCT set_key FROM countermeasure_sets").mapTo(String.class).list(), referredSets(h)));
    if (ruleSets.isEmpty() && sets.isEmpty()) {
      return new long[] {0, 0};
    }
    return jdbi.inTransaction(h -> {
      holdSharedSets(h);
      List<String> goneRules = unused(ruleSets, referredRuleSets(h));
      List<String> goneSets = unused(sets, referredSets(h));
      for (List<String> chunk : Chunks.of(goneRules)) {
        h.createUpdate("DELETE FROM rule_sets WHERE digest IN (<x>)").bindList("x", chunk).execute();
      }
      for (List<String> chunk : Chunks.of(goneSets)) {
        h.createUpdate("DELETE FROM countermeasure_sets WHERE set_key IN (<x>)").bindList("x", chunk).execute();
      }
      return new long[] {goneRules.size(), goneSets.size()};
    });
  }

  /** The rule sets desired states and devices' applied rules refer to. */
  private static Set<String> referredRuleSets(Handle h) {
    Set<String> referred = new HashSet<>(h.createQuery("SELECT DISTINCT digest FROM desired_states").mapTo(String.class).list());
    referred.addAll(h.createQuery("SELECT DISTINCT applied_digest FROM devices").mapTo(String.class).list());
    return referred;
  }

  /** The countermeasure sets desired states refer to. */
  private static Set<String> referredSets(Handle h) {
    return new HashSet<>(h.createQuery("SELECT DISTINCT countermeasure_set FROM desired_states").mapTo(String.class).list());
  }

  private static List<String> unused(List<String> keys, Set<String> referred) {
    return keys.stream().filter(k -> !referred.contains(k)).toList();
  }
}
