package io.bulwark.controller.store;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.UnknownDeviceException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link DeviceStore} over JDBC; the SQL is portable between H2 and PostgreSQL. */
public final class JdbcDeviceStore implements DeviceStore {
  private final Jdbi jdbi;
  /** The rule sets used last, by digest: thousands of devices usually share a few. */
  private final Map<String, String> recentRules =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > 8;
        }
      };

  public JdbcDeviceStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void upsertEnrolled(String name, String target, List<String> tags, Instant at) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate("UPDATE devices SET target = :t, tags = :tags, enrolled_at = :at WHERE name = :n")
                  .bind("t", target)
                  .bind("tags", Tags.join(tags))
                  .bind("at", at.toEpochMilli())
                  .bind("n", name)
                  .execute();
          if (updated == 0) {
            h.createUpdate(
                    "INSERT INTO devices (name, target, tags, enrolled_at) VALUES (:n, :t, :tags, :at)")
                .bind("n", name)
                .bind("t", target)
                .bind("tags", Tags.join(tags))
                .bind("at", at.toEpochMilli())
                .execute();
          }
        });
  }

  @Override
  public Optional<Device> find(String name) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT * FROM devices WHERE name = :n").bind("n", name).map(this::device).findOne());
  }

  @Override
  public List<Device> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM devices ORDER BY name").map(this::device).list());
  }

  @Override
  public Optional<DesiredState> advanceDesired(
      String device, String target, String rules, String digest, List<Long> countermeasureIds) {
    if (find(device).isEmpty()) {
      throw new UnknownDeviceException("no device named '" + device + "'");
    }
    return advanceDesired(List.of(new Advance(device, target, rules, digest, countermeasureIds))).stream().findFirst();
  }

  @Override
  public List<DesiredState> advanceDesired(List<Advance> advances) {
    if (advances.isEmpty()) {
      return List.of();
    }
    List<DesiredState> advanced =
        jdbi.inTransaction(
            h -> {
              Map<String, long[]> generations = new HashMap<>();
              Map<String, String> digests = new HashMap<>();
              List<String> names = advances.stream().map(Advance::device).distinct().sorted().toList();
              java.util.Set<String> wanted = new java.util.HashSet<>(names);
              for (List<String> chunk : names.size() > SCAN_OVER ? List.of(List.<String>of()) : chunks(names)) {
                // Many devices: one scan of the table beats long IN lists, which H2 checks row by row.
                String where = chunk.isEmpty() ? "" : " WHERE name IN (<names>)";
                var query = h.createQuery("SELECT name, desired_generation, desired_digest FROM devices" + where
                    + " ORDER BY name FOR UPDATE");
                if (!chunk.isEmpty()) {
                  query.bindList("names", chunk);
                }
                query.map((rs, ctx) -> {
                      if (wanted.contains(rs.getString(1))) {
                        generations.put(rs.getString(1), new long[] {rs.getLong(2)});
                        digests.put(rs.getString(1), rs.getString(3));
                      }
                      return null;
                    })
                    .list();
              }
              List<DesiredState> result = new ArrayList<>();
              Map<String, Advance> newRules = new LinkedHashMap<>();
              List<Advance> taken = new ArrayList<>();
              for (Advance a : advances) {
                long[] generation = generations.get(a.device());
                if (generation == null || a.digest().equals(digests.get(a.device()))) {
                  continue;
                }
                digests.put(a.device(), a.digest());
                generation[0]++;
                result.add(new DesiredState(a.device(), generation[0], a.target(), a.rules(), a.digest()));
                taken.add(a);
                newRules.putIfAbsent(a.digest(), a);
              }
              if (result.isEmpty()) {
                return result;
              }
              storeRuleSets(h, newRules);
              var states = h.prepareBatch(
                  "INSERT INTO desired_states (device, generation, target, digest) VALUES (:d, :g, :t, :x)");
              // The guard on the old generation makes a concurrent advance fail instead of reusing it.
              var heads = h.prepareBatch("UPDATE devices SET desired_generation = :g, desired_digest = :x"
                  + " WHERE name = :d AND desired_generation = :old");
              var contents = h.prepareBatch(
                  "INSERT INTO desired_state_countermeasures (device, generation, countermeasure_id) VALUES (:d, :g, :c)");
              boolean anyContents = false;
              for (int i = 0; i < result.size(); i++) {
                DesiredState s = result.get(i);
                states.bind("d", s.device()).bind("g", s.generation()).bind("t", s.target()).bind("x", s.digest()).add();
                heads.bind("g", s.generation()).bind("x", s.digest()).bind("d", s.device()).bind("old", s.generation() - 1).add();
                for (long c : taken.get(i).countermeasureIds()) {
                  contents.bind("d", s.device()).bind("g", s.generation()).bind("c", c).add();
                  anyContents = true;
                }
              }
              states.execute();
              for (int updated : heads.execute()) {
                if (updated != 1) {
                  throw new IllegalStateException("concurrent change of a desired state");
                }
              }
              if (anyContents) {
                contents.execute();
              }
              return result;
            });
    advanced.forEach(s -> remember(s.digest(), s.rules()));
    return advanced;
  }

  /** Stores each rule set not stored yet, once, by digest. */
  private static void storeRuleSets(Handle h, Map<String, Advance> byDigest) {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (List<String> chunk : chunks(List.copyOf(byDigest.keySet()))) {
      known.addAll(h.createQuery("SELECT digest FROM rule_sets WHERE digest IN (<d>)")
          .bindList("d", chunk).mapTo(String.class).list());
    }
    for (Advance a : byDigest.values()) {
      if (!known.contains(a.digest())) {
        h.createUpdate("INSERT INTO rule_sets (digest, target, rules) VALUES (:x, :t, :r)")
            .bind("x", a.digest()).bind("t", a.target()).bind("r", a.rules()).execute();
      }
    }
  }

  @Override
  public Optional<String> ruleSet(String digest) {
    synchronized (recentRules) {
      String known = recentRules.get(digest);
      if (known != null) {
        return Optional.of(known);
      }
    }
    Optional<String> rules = jdbi.withHandle(h -> h.createQuery("SELECT rules FROM rule_sets WHERE digest = :x")
        .bind("x", digest).mapTo(String.class).findOne());
    rules.ifPresent(r -> remember(digest, r));
    return rules;
  }

  private void remember(String digest, String rules) {
    synchronized (recentRules) {
      recentRules.put(digest, rules);
    }
  }

  @Override
  public List<Device> belowGeneration(long generation) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM devices WHERE applied_generation < :g ORDER BY name")
        .bind("g", generation).map(this::device).list());
  }

  @Override
  public List<Device> lacking(long countermeasureId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM devices d WHERE EXISTS (SELECT 1 FROM desired_state_countermeasures c"
                + " WHERE c.device = d.name AND c.generation = d.desired_generation AND c.countermeasure_id = :c)"
                + " AND NOT EXISTS (SELECT 1 FROM desired_state_countermeasures c"
                + " WHERE c.device = d.name AND c.generation = d.applied_generation AND c.countermeasure_id = :c)"
                + " ORDER BY d.name")
        .bind("c", countermeasureId).map(this::device).list());
  }

  @Override
  public Map<String, Device> findAll(java.util.Collection<String> names) {
    Map<String, Device> found = new HashMap<>();
    List<String> distinct = names.stream().distinct().toList();
    if (distinct.size() > SCAN_OVER) {
      java.util.Set<String> wanted = new java.util.HashSet<>(distinct);
      for (Device d : list()) {
        if (wanted.contains(d.name())) {
          found.put(d.name(), d);
        }
      }
      return found;
    }
    for (List<String> chunk : chunks(distinct)) {
      jdbi.useHandle(h -> h.createQuery("SELECT * FROM devices WHERE name IN (<names>)").bindList("names", chunk)
          .map(this::device).forEach(d -> found.put(d.name(), d)));
    }
    return found;
  }

  @Override
  public void recordReports(List<Reported> events) {
    if (events.isEmpty()) {
      return;
    }
    jdbi.useTransaction(
        h -> {
          recordFirstApplications(h, events);
          var reports = h.prepareBatch(REPORT_UPDATE);
          var links = h.prepareBatch("UPDATE devices SET connected = :c, last_seen = :at WHERE name = :n");
          Map<String, Long> sequences = new java.util.TreeMap<>();
          boolean anyReport = false;
          boolean anyLink = false;
          for (Reported e : events) {
            if (e.report() != null) {
              bindReport(reports, e.device(), e.report()).add();
              anyReport = true;
            }
            if (e.connected() != null) {
              links.bind("c", e.connected()).bind("at", e.at().toEpochMilli()).bind("n", e.device()).add();
              anyLink = true;
            }
            if (e.sequence() > 0) {
              sequences.merge(e.device(), e.sequence(), Math::max);
            }
          }
          if (anyReport) {
            reports.execute();
          }
          if (anyLink) {
            links.execute();
          }
          storeSequences(h, sequences);
        });
  }

  private static void storeSequences(Handle h, Map<String, Long> sequences) {
    if (sequences.isEmpty()) {
      return;
    }
    var raise = h.prepareBatch(
        "UPDATE agent_status_sequences SET last_sequence = GREATEST(last_sequence, :s) WHERE device = :d");
    List<String> order = new ArrayList<>(sequences.keySet());
    order.forEach(d -> raise.bind("s", sequences.get(d)).bind("d", d).add());
    int[] updated = raise.execute();
    var insert = h.prepareBatch("INSERT INTO agent_status_sequences (device, last_sequence) VALUES (:d, :s)");
    boolean any = false;
    for (int i = 0; i < updated.length; i++) {
      if (updated[i] == 0) {
        insert.bind("d", order.get(i)).bind("s", sequences.get(order.get(i))).add();
        any = true;
      }
    }
    if (any) {
      insert.execute();
    }
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
      for (List<String> chunk : chunks(names)) {
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

  private static final int CHUNK = 500;
  /** Above this many devices, a batch reads the whole table once instead of IN lists. */
  private static final int SCAN_OVER = 200;

  private static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += CHUNK) {
      chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
    }
    return chunks;
  }

  /** Locks the device row for the rest of the transaction; returns its desired generation. */
  private long lockDevice(Handle h, String device) {
    return h.createQuery("SELECT desired_generation FROM devices WHERE name = :n FOR UPDATE")
        .bind("n", device)
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(() -> new UnknownDeviceException("no device named '" + device + "'"));
  }

  @Override
  public Optional<DesiredState> currentDesired(String device) {
    record Head(long generation, String target, String digest) {}
    Optional<Head> head =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT s.generation, s.target, s.digest FROM desired_states s JOIN devices d"
                            + " ON d.name = s.device AND d.desired_generation = s.generation"
                            + " WHERE d.name = :n")
                    .bind("n", device)
                    .map((rs, ctx) -> new Head(rs.getLong(1), rs.getString(2), rs.getString(3)))
                    .findOne());
    return head.flatMap(
        x -> ruleSet(x.digest()).map(rules -> new DesiredState(device, x.generation(), x.target(), rules, x.digest())));
  }

  @Override
  public List<Evidence> evidence() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT c.device, c.generation, c.countermeasure_id, a.applied_at"
                        + " FROM desired_state_countermeasures c LEFT JOIN applied_generations a"
                        + " ON a.device = c.device AND a.generation = c.generation"
                        + " ORDER BY c.device, c.generation, c.countermeasure_id")
                .map((rs, ctx) -> new Evidence(rs.getString(1), rs.getLong(2), rs.getLong(3), Millis.instant(rs, "applied_at")))
                .list());
  }

  @Override
  public void recordReport(String device, ApplyReport report) {
    jdbi.useTransaction(
        h -> {
          lockDevice(h, device);
          recordFirstApplication(h, device, report);
          bindReport(h.createUpdate(REPORT_UPDATE), device, report).execute();
        });
  }

  /** Applied generation and digest move together and only forward. */
  private static final String REPORT_UPDATE =
      "UPDATE devices SET"
          + " applied_digest = CASE WHEN :ag >= applied_generation THEN :ad ELSE applied_digest END,"
          + " applied_generation = CASE WHEN :ag >= applied_generation THEN :ag ELSE applied_generation END,"
          + " report_generation = :rg, report_outcome = :ro, report_error = :re, report_at = :at,"
          + " last_seen = :at WHERE name = :n";

  private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindReport(T statement, String device, ApplyReport report) {
    return statement
        .bind("ag", report.appliedGeneration())
        .bind("ad", report.appliedDigest())
        .bind("rg", report.generation())
        .bind("ro", report.outcome().name())
        .bind("re", report.error())
        .bind("at", Millis.of(report.at()))
        .bind("n", device);
  }

  /** Keeps when each generation was first applied (with the digest the device reported). */
  private static void recordFirstApplication(Handle h, String device, ApplyReport report) {
    if (report.outcome() != ApplyReport.Outcome.APPLIED || report.appliedGeneration() == 0 || report.at() == null) {
      return;
    }
    boolean known =
        h.createQuery("SELECT COUNT(*) FROM applied_generations WHERE device = :d AND generation = :g")
                .bind("d", device)
                .bind("g", report.appliedGeneration())
                .mapTo(Integer.class)
                .one()
            > 0;
    if (!known) {
      h.createUpdate("INSERT INTO applied_generations (device, generation, digest, applied_at) VALUES (:d, :g, :x, :at)")
          .bind("d", device)
          .bind("g", report.appliedGeneration())
          .bind("x", report.appliedDigest())
          .bind("at", report.at().toEpochMilli())
          .execute();
    }
  }

  @Override
  public void markConnected(String device, boolean connected, Instant at) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE devices SET connected = :c, last_seen = :at WHERE name = :n")
                .bind("c", connected)
                .bind("at", at.toEpochMilli())
                .bind("n", device)
                .execute());
  }

  @Override
  public void markAllDisconnected() {
    jdbi.useHandle(h -> h.createUpdate("UPDATE devices SET connected = FALSE").execute());
  }

  private Device device(ResultSet rs, StatementContext ctx) throws SQLException {
    ApplyReport report =
        new ApplyReport(
            rs.getLong("applied_generation"),
            rs.getString("applied_digest"),
            rs.getLong("report_generation"),
            ApplyReport.Outcome.valueOf(rs.getString("report_outcome")),
            rs.getString("report_error"),
            Millis.instant(rs, "report_at"));
    return new Device(
        rs.getString("name"),
        rs.getString("target"),
        Tags.split(rs.getString("tags")),
        Millis.instant(rs, "enrolled_at"),
        rs.getLong("desired_generation"),
        rs.getString("desired_digest"),
        report,
        rs.getBoolean("connected"),
        Millis.instant(rs, "last_seen"));
  }
}
