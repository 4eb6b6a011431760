package io.bulwark.controller.store;

import io.bulwark.rules.Digests;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The countermeasures a desired state carries, stored once per distinct set (table {@code
 * countermeasure_sets}, see migration V19) and named from {@code desired_states.countermeasure_set}.
 * Devices that get the same generation share a set, so storing a fleet's new generations writes a
 * few rows rather than one per device and countermeasure. As with rule sets, a new set is looked up
 * and then inserted: two transactions storing the same new set at once would clash on its key, so
 * callers store generations one pass at a time ({@code DesiredStates.recompute} is synchronized).
 */
final class CountermeasureSets {
  private CountermeasureSets() {}

  /** The key of the set of {@code ids}: the SHA-256 of the sorted ids; null for no ids (no set). */
  static String key(List<Long> ids) {
    if (ids.isEmpty()) {
      return null;
    }
    return Digests.sha256Hex(new TreeSet<>(ids).stream().map(String::valueOf).collect(Collectors.joining(",")));
  }

  /** Stores each set of {@code byKey} not stored yet. */
  static void store(Handle h, Map<String, List<Long>> byKey) {
    if (byKey.isEmpty()) {
      return;
    }
    Set<String> known = new HashSet<>();
    for (List<String> chunk : Chunks.of(List.copyOf(byKey.keySet()))) {
      known.addAll(h.createQuery("SELECT DISTINCT set_key FROM countermeasure_sets WHERE set_key IN (<k>)")
          .bindList("k", chunk).mapTo(String.class).list());
    }
    var rows = h.prepareBatch("INSERT INTO countermeasure_sets (set_key, countermeasure_id) VALUES (:k, :c)");
    boolean any = false;
    for (var set : byKey.entrySet()) {
      if (!known.contains(set.getKey())) {
        for (long id : new TreeSet<>(set.getValue())) {
          rows.bind("k", set.getKey()).bind("c", id).add();
          any = true;
        }
      }
    }
    if (any) {
      rows.execute();
    }
  }
}
