package io.bulwark.controller.store;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore.Reported;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What agent streams report, written in one transaction: the reports themselves (applied
 * generation and digest only ever move forward), when each generation was first applied,
 * connection changes, and the highest outbox sequence per device. Used by {@link
 * JdbcDeviceStore} for one report and for the status writer's batches alike.
 */
final class DeviceReports {
  private DeviceReports() {}

  /** Records {@code events} in order on {@code h}, inside the caller's transaction. */
  static void record(Handle h, List<Reported> events) {
    // Its statements look rows up by key: planning each of thousands anew cost much of a batch's time.
    Database.reuseGenericPlans(h);
    recordFirstApplications(h, events);
    var reports = h.prepareBatch(REPORT_UPDATE);
    var links = h.prepareBatch("UPDATE devices SET connected = :c, last_seen = :at WHERE name = :n");
    Map<String, Long> sequences = new java.util.TreeMap<>();
    boolean anyLink = false;
    // One row update per device however many reports it has in the batch (an agent's APPLYING and
    // APPLIED usually come together): the last report, and the furthest applied generation; rows
    // in name order, as other writers of many devices take them.
    Map<String, ApplyReport> last = new java.util.TreeMap<>();
    Map<String, ApplyReport> furthest = new HashMap<>();
    for (Reported e : events) {
      if (e.report() != null) {
        last.put(e.device(), e.report());
        furthest.merge(e.device(), e.report(),
            (was, now) -> now.appliedGeneration() >= was.appliedGeneration() ? now : was);
      }
      if (e.connected() != null) {
        links.bind("c", e.connected()).bind("at", e.at().toEpochMilli()).bind("n", e.device()).add();
        anyLink = true;
      }
      if (e.sequence() > 0) {
        sequences.merge(e.device(), e.sequence(), Math::max);
      }
    }
    last.forEach((device, report) ->
        bindReport(reports, device, report, furthest.get(device)).bind("seq", sequences.getOrDefault(device, 0L)).add());
    if (!last.isEmpty()) {
      reports.execute();
    }
    if (anyLink) {
      links.execute();
    }
    sequences.keySet().removeAll(last.keySet());
    storeSequences(h, sequences);
  }

  /** Applied generation and digest move together and only forward. */
  private static final String REPORT_UPDATE =
      "UPDATE devices SET"
          + " applied_digest = CASE WHEN :ag >= applied_generation THEN :ad ELSE applied_digest END,"
          + " applied_generation = CASE WHEN :ag >= applied_generation THEN :ag ELSE applied_generation END,"
          + " report_generation = :rg, report_outcome = :ro, report_error = :re, report_at = :at,"
          + " last_seen = :at, last_sequence = GREATEST(last_sequence, :seq) WHERE name = :n";

  /**
   * Binds {@code report} as the device's last report and {@code applied}'s applied generation and
   * digest (moving forward only, by the statement).
   */
  private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindReport(T statement, String device,
      ApplyReport report, ApplyReport applied) {
    return statement
        .bind("ag", applied.appliedGeneration())
        .bind("ad", applied.appliedDigest())
        .bind("rg", report.generation())
        .bind("ro", report.outcome().name())
        .bind("re", report.error())
        .bind("at", Millis.of(report.at()))
        .bind("n", device);
  }

  /** Raises the highest sequence stored of devices that have one but no report in the batch. */
  private static void storeSequences(Handle h, Map<String, Long> sequences) {
    if (sequences.isEmpty()) {
      return;
    }
    var raise = h.prepareBatch("UPDATE devices SET last_sequence = GREATEST(last_sequence, :s) WHERE name = :d");
    sequences.forEach((d, s) -> raise.bind("s", s).bind("d", d).add());
    raise.execute();
  }

  /** Keeps when each generation was first applied, for all APPLIED reports of a batch. */
  private static void recordFirstApplications(Handle h, List<Reported> events) {
    Map<String, Reported> firsts = new LinkedHashMap<>();
    for (Reported e : events) {
      ApplyReport r = e.report();
      if (r != null && r.outcome() == ApplyReport.Outcome.APPLIED && r.appliedGeneration() != 0 && r.at() != null) {
        firsts.putIfAbsent(e.device() + "@" + r.appliedGeneration(), e);
      }
    }
    if (firsts.isEmpty()) {
      return;
    }
    java.util.Set<String> known = new java.util.HashSet<>();
    List<String> names = firsts.values().stream().map(Reported::device).distinct().toList();
    if (names.size() > SCAN_OVER) {
      // Applied generations only rise, and each one is recorded here when it is first reported:
      // a generation at or below the device's applied one is known already.
      java.util.Set<String> wanted = new java.util.HashSet<>(names);
      Map<String, Long> applied = new HashMap<>();
      h.createQuery("SELECT name, applied_generation FROM devices")
          .map((rs, ctx) -> wanted.contains(rs.getString(1)) ? applied.put(rs.getString(1), rs.getLong(2)) : null)
          .list();
      for (var entry : firsts.entrySet()) {
        Reported e = entry.getValue();
        if (e.report().appliedGeneration() <= applied.getOrDefault(e.device(), 0L)) {
          known.add(entry.getKey());
        }
      }
    } else {
      for (List<String> chunk : Chunks.of(names)) {
        h.createQuery("SELECT device, generation FROM applied_generations WHERE device IN (<d>)")
            .bindList("d", chunk)
            .map((rs, ctx) -> known.add(rs.getString(1) + "@" + rs.getLong(2)))
            .list();
      }
    }
    var insert = h.prepareBatch(
        "INSERT INTO applied_generations (device, generation, digest, applied_at) VALUES (:d, :g, :x, :at)");
    boolean any = false;
    for (var entry : firsts.entrySet()) {
      if (!known.contains(entry.getKey())) {
        ApplyReport r = entry.getValue().report();
        insert.bind("d", entry.getValue().device()).bind("g", r.appliedGeneration()).bind("x", r.appliedDigest())
            .bind("at", r.at().toEpochMilli()).add();
        any = true;
      }
    }
    if (any) {
      insert.execute();
    }
  }

  /** Above this many devices, a batch reads the whole table once instead of IN lists. */
  static final int SCAN_OVER = 200;
}
