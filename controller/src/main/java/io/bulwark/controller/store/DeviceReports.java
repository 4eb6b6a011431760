package io.bulwark.controller.store;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore.Reported;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
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
   * @return the report of each existing device with a report among {@code events}, as it was
   *     before them
   */
  static Map<String, ApplyReport> record(Handle h, List<Reported> events) {
    // Its statements look rows up by key: planning each of thousands anew cost much of a batch's time.
    Database.reuseGenericPlans(h);
    // Read before the rows are taken: the status writer is the one writer of agents' reports, so
    // these are the reports the batch follows.
    Map<String, Long> marks = new HashMap<>();
    Map<String, ApplyReport> before = reportsOf(h, events.stream().filter(e -> e.report() != null)
        .map(Reported::device).distinct().toList(), marks);
    // One row update per device, whatever the batch holds for it (an agent's APPLYING and APPLIED
    // usually come together, a hello is a report and a connection): its rows are taken once each,
    // in name order ({@link Database#nameOrder}), as every writer of many devices takes them, so
    // that none waits for another that waits for it.
    Map<String, Change> changes = new TreeMap<>();
    for (Reported e : events) {
      changes.computeIfAbsent(e.device(), d -> new Change(marks.getOrDefault(d, 0L))).add(e);
    }
    if (!changes.isEmpty()) {
      var update = h.prepareBatch(UPDATE);
      changes.forEach((device, change) -> change.bind(update.bind("n", device)).add());
      update.execute();
    }
    recordFirstApplications(h, events, before);
    return before;
  }

  /**
   * A device's row update: its last report, its furthest applied generation (applied generation
   * and digest move together and only forward), its last connection change, and its highest
   * outbox sequence. The last report is replaced by a hello, or by a report numbered after the one
   * it is as of ({@code report_sequence}; a report without a number, sent past a failed outbox,
   * replaces it too): {@link Change} decides, knowing the stored order, as the status writer is the
   * one writer of numbered reports and hellos. Last seen: at the last connection change, else at the
   * last report received.
   */
  private static final String UPDATE =
      "UPDATE devices SET"
          + " applied_digest = CASE WHEN :ag >= applied_generation THEN :ad ELSE applied_digest END,"
          + " applied_generation = CASE WHEN :ag >= applied_generation THEN :ag ELSE applied_generation END,"
          + " report_generation = CASE WHEN :w THEN :rg ELSE report_generation END,"
          + " report_outcome = CASE WHEN :w THEN :ro ELSE report_outcome END,"
          + " report_error = CASE WHEN :w THEN :re ELSE report_error END,"
          + " report_at = CASE WHEN :w THEN :rat ELSE report_at END,"
          + " report_sequence = CASE WHEN :w THEN :m ELSE report_sequence END,"
          + " connected = CASE WHEN :l THEN :c ELSE connected END,"
          + " last_seen = CASE WHEN :r OR :l THEN :seen ELSE last_seen END,"
          + " last_sequence = GREATEST(last_sequence, :seq) WHERE name = :n";

  /** What one batch changes of one device. */
  private static final class Change {
    /** The report that becomes the device's last, if any does: the newest in the agent's order. */
    private ApplyReport last;
    private ApplyReport furthest;
    /**
     * The outbox sequence the device's last report is as of: the stored one, then as the batch moves
     * it (a hello sets it, a numbered report only raises it).
     */
    private long mark;
    /** The report received last, for last seen. */
    private Instant lastAt;
    private boolean reported;
    private Boolean connected;
    private Long linkAt;
    private long sequence;

    Change(long storedMark) {
      this.mark = storedMark;
    }

    void add(Reported e) {
      ApplyReport r = e.report();
      if (r != null) {
        reported = true;
        furthest = furthest == null || r.appliedGeneration() >= furthest.appliedGeneration() ? r : furthest;
        lastAt = r.at();
        if (e.isHello()) {
          // Newer than every report the agent had made, which it names.
          last = r;
          mark = e.reportsThrough();
        } else if (e.sequence() == 0) {
          last = r;
        } else if (e.sequence() > mark) {
          last = r;
          mark = e.sequence();
        }
      }
      if (e.connected() != null) {
        connected = e.connected();
        linkAt = Millis.of(e.at());
      }
      sequence = Math.max(sequence, e.sequence());
    }

    <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bind(T statement) {
      boolean write = last != null;
      return statement
          // Below any stored generation when there is no report: nothing applied moves.
          .bind("ag", reported ? furthest.appliedGeneration() : -1L)
          .bind("ad", reported ? furthest.appliedDigest() : "")
          .bind("r", reported)
          .bind("w", write)
          .bind("m", mark)
          .bind("rg", write ? last.generation() : 0L)
          .bind("ro", (write ? last.outcome() : ApplyReport.Outcome.NONE).name())
          .bind("re", write ? last.error() : "")
          .bind("rat", write ? Millis.of(last.at()) : null)
          .bind("l", connected != null)
          .bind("c", connected != null && connected)
          .bind("seen", connected != null ? linkAt : reported ? Millis.of(lastAt) : null)
          .bind("seq", sequence);
    }
  }

  /** The reports of the devices named that exist, by name; the sequences they are as of into {@code marks}. */
  private static Map<String, ApplyReport> reportsOf(Handle h, List<String> names, Map<String, Long> marks) {
    Map<String, ApplyReport> found = new HashMap<>();
    DeviceRows.read(h, "SELECT name, applied_generation, applied_digest, report_generation, report_outcome,"
        + " report_error, report_at, report_sequence FROM devices", names, "", rs -> {
          found.put(rs.getString(1), new ApplyReport(rs.getLong(2), rs.getString(3), rs.getLong(4),
              ApplyReport.Outcome.valueOf(rs.getString(5)), rs.getString(6), Millis.instant(rs, "report_at")));
          marks.put(rs.getString(1), rs.getLong(8));
        });
    return found;
  }

  /**
   * Keeps when each generation was first applied, for all APPLIED reports of a batch: at the
   * earliest report of it. Applied generations only rise, and each one is recorded here when it is
   * first reported: one above the device's applied generation {@code before} the batch is new, the
   * applied one known already. A report of one below it comes late (held back while its agent
   * reconnected and reported a newer one) and is looked up: its generation is recorded if it was
   * not, while the device still has it, or made first applied earlier. (A late copy of the applied
   * generation's own report is not told apart: receive times are no safe order, since the clock
   * may step back.)
   */
  private static void recordFirstApplications(Handle h, List<Reported> events, Map<String, ApplyReport> before) {
    BinaryOperator<Reported> earliest = (a, b) -> b.report().at().isBefore(a.report().at()) ? b : a;
    Map<String, Reported> firsts = new LinkedHashMap<>();
    Map<String, Reported> late = new LinkedHashMap<>();
    for (Reported e : events) {
      ApplyReport r = e.report();
      // A device without a row has nothing to record it for.
      ApplyReport was = before.get(e.device());
      if (r == null || was == null || r.outcome() != ApplyReport.Outcome.APPLIED || r.appliedGeneration() == 0
          || r.at() == null) {
        continue;
      }
      String key = e.device() + "@" + r.appliedGeneration();
      if (r.appliedGeneration() < was.appliedGeneration()) {
        late.merge(key, e, earliest);
      } else if (r.appliedGeneration() > was.appliedGeneration()) {
        firsts.merge(key, e, earliest);
      }
    }
    List<Reported> earlier = new ArrayList<>();
    if (!late.isEmpty()) {
      Map<String, Long> recorded = generations(h, "applied_generations", "applied_at", late.values());
      Set<String> kept = generations(h, "desired_states", "generation", late.values()).keySet();
      late.forEach((key, e) -> {
        Long at = recorded.get(key);
        if (at == null && kept.contains(key)) {
          firsts.merge(key, e, earliest);
        } else if (at != null && e.report().at().toEpochMilli() < at) {
          earlier.add(e);
        }
      });
    }
    if (!firsts.isEmpty()) {
      var insert = h.prepareBatch(
          "INSERT INTO applied_generations (device, generation, digest, applied_at) VALUES (:d, :g, :x, :at)");
      for (Reported e : firsts.values()) {
        ApplyReport r = e.report();
        insert.bind("d", e.device()).bind("g", r.appliedGeneration()).bind("x", r.appliedDigest())
            .bind("at", r.at().toEpochMilli()).add();
      }
      insert.execute();
    }
    if (!earlier.isEmpty()) {
      var update = h.prepareBatch("UPDATE applied_generations SET applied_at = :at"
          + " WHERE device = :d AND generation = :g AND applied_at > :at");
      for (Reported e : earlier) {
        update.bind("d", e.device()).bind("g", e.report().appliedGeneration())
            .bind("at", e.report().at().toEpochMilli()).add();
      }
      update.execute();
    }
  }

  /**
   * The rows {@code table} has of the devices of {@code events}: {@code value} by
   * device@generation.
   */
  private static Map<String, Long> generations(Handle h, String table, String value, Collection<Reported> events) {
    Map<String, Long> found = new HashMap<>();
    for (List<String> chunk : Chunks.of(events.stream().map(Reported::device).distinct().toList())) {
      h.createQuery("SELECT device, generation, " + value + " FROM " + table + " WHERE device IN (<d>)")
          .bindList("d", chunk)
          .map((rs, ctx) -> Map.entry(rs.getString(1) + "@" + rs.getLong(2), rs.getLong(3)))
          .forEach(row -> found.put(row.getKey(), row.getValue()));
    }
    return found;
  }

}
