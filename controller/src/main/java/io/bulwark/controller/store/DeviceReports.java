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

  /**
   * Records {@code events} in order on {@code h}, inside the caller's transaction.
   *
   * @return the report of each device with a report among {@code events}, as it was before them
   */
  static Map<String, ApplyReport> record(Handle h, List<Reported> events) {
    // Its statements look rows up by key: planning each of thousands anew cost much of a batch's time.
    Database.reuseGenericPlans(h);
    Map<String, ApplyReport> before = reportsOf(h, events.stream().filter(e -> e.report() != null)
        .map(Reported::device).distinct().toList());
    recordFirstApplications(h, events, before);
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
    return before;
  }

  /** The reports of the devices named that exist, by name. */
  private static Map<String, ApplyReport> reportsOf(Handle h, List<String> names) {
    Map<String, ApplyReport> found = new HashMap<>();
    if (names.isEmpty()) {
      return found;
    }
    String columns = "SELECT name, applied_generation, applied_digest, report_generation, report_outcome,"
        + " report_error, report_at FROM devices";
    java.util.Set<String> wanted = new java.util.HashSet<>(names);
    // Many devices: one scan of the table beats long IN lists, which H2 checks row by row.
    for (List<String> chunk : names.size() > SCAN_OVER ? List.of(List.<String>of()) : Chunks.of(names)) {
      var query = h.createQuery(columns + (chunk.isEmpty() ? "" : " WHERE name IN (<names>)"));
      if (!chunk.isEmpty()) {
        query.bindList("names", chunk);
      }
      query.map((rs, ctx) -> wanted.contains(rs.getString(1))
              ? found.put(rs.getString(1), new ApplyReport(rs.getLong(2), rs.getString(3), rs.getLong(4),
                  ApplyReport.Outcome.valueOf(rs.getString(5)), rs.getString(6), Millis.instant(rs, "report_at")))
              : null)
          .list();
    }
    return found;
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

  /**
   * Keeps when each generation was first applied, for all APPLIED reports of a batch. Applied
   * generations only rise, and each one is recorded here when it is first reported: one at or
   * below the device's applied generation {@code before} the batch is known already.
   */
  private static void recordFirstApplications(Handle h, List<Reported> events, Map<String, ApplyReport> before) {
    Map<String, Reported> firsts = new LinkedHashMap<>();
    for (Reported e : events) {
      ApplyReport r = e.report();
      ApplyReport was = before.get(e.device());
      if (r != null && r.outcome() == ApplyReport.Outcome.APPLIED && r.appliedGeneration() != 0 && r.at() != null
          && (was == null || r.appliedGeneration() > was.appliedGeneration())) {
        firsts.putIfAbsent(e.device() + "@" + r.appliedGeneration(), e);
      }
    }
    if (firsts.isEmpty()) {
      return;
    }
    var insert = h.prepareBatch(
        "INSERT INTO applied_generations (device, generation, digest, applied_at) VALUES (:d, :g, :x, :at)");
    for (Reported e : firsts.values()) {
      ApplyReport r = e.report();
      insert.bind("d", e.device()).bind("g", r.appliedGeneration()).bind("x", r.appliedDigest())
          .bind("at", r.at().toEpochMilli()).add();
    }
    insert.execute();
  }

  /** Above this many devices, a batch reads the whole table once instead of IN lists. */
  static final int SCAN_OVER = 200;
}
