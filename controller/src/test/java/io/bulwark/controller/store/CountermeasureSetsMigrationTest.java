package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore.DeviceGeneration;
import io.bulwark.controller.domain.DeviceStore.FirstApplied;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database holding desired states in the per-device table of migration V3 keeps its evidence
 * (what the applied generation carries, when each countermeasure was first applied) and its
 * "lacking" answers when V19 moves them into countermeasure sets (one per earlier desired state
 * that carried any), and new generations are stored in sets beside them; its status sequences
 * survive V21's move into the device rows.
 */
class CountermeasureSetsMigrationTest {
  private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");
  private Database db;

  /** The database's URL; {@link CountermeasureSetsMigrationPostgresIT} names a PostgreSQL schema. */
  String url() {
    return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** The schema to migrate, or null for the connection's default. */
  String schema() {
    return null;
  }

  /** Called after each test, once the database is closed. */
  void dropDatabase() {}

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
    dropDatabase();
  }

  @Test
  void desiredStatesStoredPerDevice_keepTheirEvidence_andWhoLacksWhat() {
    String url = url();
    var before = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("18");
    if (schema() != null) {
      before.schemas(schema()).defaultSchema(schema());
    }
    before.load().migrate();
    Jdbi.create(url).useHandle(h -> {
      // As V18 left them: host-a applied generation 1 (countermeasure 7) and wants 2 (7 and 8);
      // host-b wants generation 1, with no countermeasure.
      h.execute("INSERT INTO devices (name, target, tags, enrolled_at, desired_generation, desired_digest,"
          + " applied_generation) VALUES ('host-a', 'nftables', '', 0, 2, 'd2', 1), ('host-b', 'nftables', '', 0, 1, 'd0', 0)");
      h.execute("INSERT INTO rule_sets (digest, target, rules) VALUES ('d1', 'nftables', 'r1'),"
          + " ('d2', 'nftables', 'r2'), ('d0', 'nftables', 'r0')");
      h.execute("INSERT INTO desired_states (device, generation, target, digest) VALUES ('host-a', 1, 'nftables', 'd1'),"
          + " ('host-a', 2, 'nftables', 'd2'), ('host-b', 1, 'nftables', 'd0')");
      h.execute("INSERT INTO desired_state_countermeasures (device, generation, countermeasure_id)"
          + " VALUES ('host-a', 1, 7), ('host-a', 2, 7), ('host-a', 2, 8)");
      h.execute("INSERT INTO applied_generations (device, generation, digest, applied_at) VALUES ('host-a', 1, 'd1', 5000)");
      h.execute("INSERT INTO agent_status_sequences (device, last_sequence) VALUES ('host-a', 41)");
    });

    db = new Database(url, schema()).start();
    JdbcDeviceStore devices = new JdbcDeviceStore(db.jdbi());

    assertEquals(Map.of(new DeviceGeneration("host-a", 1), Set.of(7L), new DeviceGeneration("host-a", 2), Set.of(7L, 8L)),
        devices.carriedByCurrent());
    assertEquals(List.of(new FirstApplied("host-a", 7, Instant.ofEpochMilli(5000))), devices.firstApplied());
    assertEquals(List.of(41L, 0L), List.of(devices.greeting("host-a").orElseThrow().lastSequence(),
        devices.greeting("host-b").orElseThrow().lastSequence()), "status sequences, moved into the device rows by V21");
    assertEquals(List.of(), names(devices.lacking(7)), "host-a applied 7 with generation 1");
    assertEquals(List.of("host-a"), names(devices.lacking(8)));
    assertEquals(1, (int) db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM desired_states"
        + " WHERE countermeasure_set IS NULL").mapTo(Integer.class).one()), "host-b's generation carries none");

    devices.advanceDesired("host-b", "nftables", "r3", "d3", List.of(8L, 7L));
    assertEquals(List.of("host-a", "host-b"), names(devices.lacking(8)));
    devices.recordReport("host-a", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", Instant.ofEpochMilli(7000)));
    devices.recordReport("host-b", new ApplyReport(2, "d3", 2, ApplyReport.Outcome.APPLIED, "", Instant.ofEpochMilli(9000)));
    assertEquals(Map.of(new DeviceGeneration("host-a", 2), Set.of(7L, 8L), new DeviceGeneration("host-b", 2), Set.of(7L, 8L)),
        devices.carriedByCurrent(), "a generation moved from the old table and a new one");
    assertEquals(List.of(new FirstApplied("host-a", 7, Instant.ofEpochMilli(5000)),
        new FirstApplied("host-a", 8, Instant.ofEpochMilli(7000)), new FirstApplied("host-b", 7, Instant.ofEpochMilli(9000)),
        new FirstApplied("host-b", 8, Instant.ofEpochMilli(9000))), devices.firstApplied());
    assertEquals(List.of(), names(devices.lacking(8)));
  }

  private static List<String> names(List<io.bulwark.controller.domain.Device> devices) {
    return devices.stream().map(io.bulwark.controller.domain.Device::name).toList();
  }
}
