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

  private final History history;

  public JdbcDeviceStore(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.history = new History(jdbi);
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
              History.holdSharedSets(h);
              Map<String, long[]> generations = new HashMap<>();
              Map<String, String> digests = new HashMap<>();
              List<String> names = advances.stream().map(Advance::device).distinct().sorted().toList();
              DeviceRows.read(h, "SELECT name, desired_generation, desired_digest FROM devices", names,
                  " ORDER BY " + Database.nameOrder(h) + " FOR UPDATE", rs -> {
                    generations.put(rs.getString(1), new long[] {rs.getLong(2)});
                    digests.put(rs.getString(1), rs.getString(3));
                  });
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
              Map<String, List<Long>> sets = new HashMap<>();
              List<String> setKeys = new ArrayList<>(taken.size());
              for (Advance a : taken) {
                String key = CountermeasureSets.key(a.countermeasureIds());
                setKeys.add(key);
                if (key != null) {
                  sets.putIfAbsent(key, a.countermeasureIds());
                }
              }
              CountermeasureSets.store(h, sets);
              var states = h.prepareBatch("INSERT INTO desired_states (device, generation, target, digest, countermeasure_set)"
                  + " VALUES (:d, :g, :t, :x, :c)");
              // The guard on the old generation makes a concurrent advance fail instead of reusing it.
              var heads = h.prepareBatch("UPDATE devices SET desired_generation = :g, desired_digest = :x"
                  + " WHERE name = :d AND desired_generation = :old");
              for (int i = 0; i < result.size(); i++) {
                DesiredState s = result.get(i);
                states.bind("d", s.device()).bind("g", s.generation()).bind("t", s.target()).bind("x", s.digest())
                    .bind("c", setKeys.get(i)).add();
                heads.bind("g", s.generation()).bind("x", s.digest()).bind("d", s.device()).bind("old", s.generation() - 1).add();
              }
              states.execute();
              for (int updated : heads.execute()) {
                if (updated != 1) {
                  throw new IllegalStateException("concurrent change of a desired state");
                }
              }
              return result;
            });
    advanced.forEach(s -> remember(s.digest(), s.rules()));
    return advanced;
  }

  /** Stores each rule set not stored yet, once, by digest. */
  private static void storeRuleSets(Handle h, Map<String, Advance> byDigest) {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (List<String> chunk : Chunks.of(List.copyOf(byDigest.keySet()))) {
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
            "SELECT d.* FROM devices d JOIN desired_states s ON s.device = d.name AND s.generation = d.desired_generation"
                + " JOIN countermeasure_sets m ON m.set_key = s.countermeasure_set AND m.countermeasure_id = :c"
                + " WHERE NOT EXISTS (SELECT 1 FROM desired_states a JOIN countermeasure_sets am"
                + " ON am.set_key = a.countermeasure_set AND am.countermeasure_id = :c"
                + " WHERE a.device = d.name AND a.generation = d.applied_generation)"
                + " ORDER BY d.name")
        .bind("c", countermeasureId).map(this::device).list());
  }

  @Override
  public Map<String, Device> findAll(java.util.Collection<String> names) {
    Map<String, Device> found = new HashMap<>();
    jdbi.useHandle(h -> DeviceRows.read(h, "SELECT * FROM devices", names, "",
        rs -> found.put(rs.getString("name"), device(rs, null))));
    return found;
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
    return greeting(device).flatMap(Greeting::desired);
  }

  @Override
  public Optional<Greeting> greeting(String device) {
    record Row(long lastSequence, long generation, String target, String digest) {}
    // One query (and the rule set, unless cached) instead of three for each agent that connects.
    Optional<Row> row =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT d.last_sequence, s.generation, s.target, s.digest FROM devices d"
                            + " LEFT JOIN desired_states s ON s.device = d.name AND s.generation = d.desired_generation"
                            + " WHERE d.name = :n")
                    .bind("n", device)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                    .findOne());
    return row.map(r -> new Greeting(r.lastSequence(), r.digest() == null ? Optional.empty()
        : ruleSet(r.digest()).map(rules -> new DesiredState(device, r.generation(), r.target(), rules, r.digest()))));
  }

  @Override
  public Map<DeviceGeneration, java.util.Set<Long>> carriedByCurrent() {
    Map<DeviceGeneration, java.util.Set<Long>> carried = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT s.device, s.generation, m.countermeasure_id FROM devices d"
            + " JOIN desired_states s ON s.device = d.name AND s.generation IN (d.applied_generation, d.desired_generation)"
            + " JOIN countermeasure_sets m ON m.set_key = s.countermeasure_set")
        .map((rs, ctx) -> Map.entry(new DeviceGeneration(rs.getString(1), rs.getLong(2)), rs.getLong(3)))
        .forEach(row -> carried.computeIfAbsent(row.getKey(), g -> new java.util.HashSet<>()).add(row.getValue())));
    return carried;
  }

  @Override
  public List<FirstApplied> firstApplied() {
    // The first report of a generation keeps its time (applied_generations is written once per
    // device and generation), so the earliest over the generations carrying it is the first; and
    // over those pruned from the history, folded into first_applied.
    Map<String, Map<Long, Long>> first = jdbi.withHandle(h -> {
      FirstApplications firsts = new FirstApplications().add(h, FirstApplications.appliedSets(h, "", q -> q));
      FirstApplications.folded(h, "", q -> q, f -> firsts.add(f.device(), f.countermeasureId(), f.at()));
      return firsts.byDevice();
    });
    List<FirstApplied> ordered = new ArrayList<>();
    first.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(device -> device.getValue().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> ordered.add(new FirstApplied(device.getKey(), e.getKey(), Instant.ofEpochMilli(e.getValue())))));
    return ordered;
  }

  @Override
  public Pruned pruneHistory(int keep) {
    return history.prune(keep);
  }

  @Override
  public void recordReport(String device, ApplyReport report) {
    jdbi.useTransaction(
        h -> {
          lockDevice(h, device);
          DeviceReports.record(h, List.of(new Reported(device, report, 0, null, report.at())));
        });
  }

  @Override
  public Map<String, ApplyReport> recordReports(List<Reported> events) {
    return events.isEmpty() ? Map.of() : jdbi.inTransaction(h -> DeviceReports.record(h, events));
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
    jdbi.useTransaction(h -> {
      // In the order every writer of many device rows takes them (a status batch may still run).
      h.createQuery("SELECT name FROM devices ORDER BY " + Database.nameOrder(h) + " FOR UPDATE")
          .mapTo(String.class).list();
      h.createUpdate("UPDATE devices SET connected = FALSE").execute();
    });
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
