package io.bulwark.controller.store;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.UnknownDeviceException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link DeviceStore} over JDBC; the SQL is portable between H2 and PostgreSQL. */
public final class JdbcDeviceStore implements DeviceStore {
  private final Jdbi jdbi;

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
    return jdbi.inTransaction(
        h -> {
          long current = lockDevice(h, device);
          String currentDigest =
              h.createQuery("SELECT desired_digest FROM devices WHERE name = :n")
                  .bind("n", device)
                  .mapTo(String.class)
                  .one();
          if (currentDigest.equals(digest)) {
            return Optional.empty();
          }
          long next = current + 1;
          h.createUpdate(
                  "INSERT INTO desired_states (device, generation, target, rules, digest)"
                      + " VALUES (:d, :g, :t, :r, :x)")
              .bind("d", device)
              .bind("g", next)
              .bind("t", target)
              .bind("r", rules)
              .bind("x", digest)
              .execute();
          // The guard on the old generation makes a concurrent advance fail instead of reusing it.
          int updated =
              h.createUpdate(
                      "UPDATE devices SET desired_generation = :g, desired_digest = :x"
                          + " WHERE name = :d AND desired_generation = :old")
                  .bind("g", next)
                  .bind("x", digest)
                  .bind("d", device)
                  .bind("old", next - 1)
                  .execute();
          if (updated != 1) {
            throw new IllegalStateException("concurrent change of desired state for " + device);
          }
          var contents = h.prepareBatch(
              "INSERT INTO desired_state_countermeasures (device, generation, countermeasure_id) VALUES (:d, :g, :c)");
          for (long c : countermeasureIds) {
            contents.bind("d", device).bind("g", next).bind("c", c).add();
          }
          if (!countermeasureIds.isEmpty()) {
            contents.execute();
          }
          return Optional.of(new DesiredState(device, next, target, rules, digest));
        });
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
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT s.* FROM desired_states s JOIN devices d"
                        + " ON d.name = s.device AND d.desired_generation = s.generation"
                        + " WHERE d.name = :n")
                .bind("n", device)
                .map(
                    (rs, ctx) ->
                        new DesiredState(
                            rs.getString("device"),
                            rs.getLong("generation"),
                            rs.getString("target"),
                            rs.getString("rules"),
                            rs.getString("digest")))
                .findOne());
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
          // Applied generation and digest move together and only forward.
          h.createUpdate(
                  "UPDATE devices SET"
                      + " applied_digest = CASE WHEN :ag >= applied_generation THEN :ad ELSE applied_digest END,"
                      + " applied_generation = CASE WHEN :ag >= applied_generation THEN :ag ELSE applied_generation END,"
                      + " report_generation = :rg, report_outcome = :ro, report_error = :re, report_at = :at,"
                      + " last_seen = :at WHERE name = :n")
              .bind("ag", report.appliedGeneration())
              .bind("ad", report.appliedDigest())
              .bind("rg", report.generation())
              .bind("ro", report.outcome().name())
              .bind("re", report.error())
              .bind("at", Millis.of(report.at()))
              .bind("n", device)
              .execute();
        });
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
