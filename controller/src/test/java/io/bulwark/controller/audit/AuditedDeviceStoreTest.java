package io.bulwark.controller.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAtomic;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.testing.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A device change and its audit entry are stored together or not at all (H2, real stores). */
class AuditedDeviceStoreTest {
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

  private Database db;
  private JdbcAuditLog log;
  private JdbcDeviceStore devices;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    log = new JdbcAuditLog(db.jdbi(), Clock.systemUTC());
    devices = new JdbcDeviceStore(db.jdbi());
    new AuditedDeviceStore(devices, log, new JdbcAtomic(db.jdbi()))
        .upsertEnrolled("fw-1", "nftables", List.of("edge"), AT);
    new AuditedDeviceStore(devices, log, new JdbcAtomic(db.jdbi()))
        .advanceDesired(List.of(new DeviceStore.Advance("fw-1", "nftables", "rules", "d1", List.of(1L))));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static List<DeviceStore.Reported> applied() {
    return List.of(new DeviceStore.Reported(
        "fw-1", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", AT), 7, null, AT));
  }

  private List<String> actions() {
    return log.list(0, 100).stream().map(AuditEntry::action).toList();
  }

  @Test
  void anAppliedReport_andItsAuditEntry_areStoredTogether() {
    new AuditedDeviceStore(devices, log, new JdbcAtomic(db.jdbi())).recordReports(applied());

    assertEquals(1, devices.find("fw-1").orElseThrow().report().appliedGeneration());
    assertEquals(List.of("device.enroll", "desired.advance", "device.applied"), actions());
  }

  @Test
  void whenTheAuditEntryCannotBeWritten_theReportIsNotStoredEither() {
    AuditLog failing = new AuditLog() {
      @Override
      public AuditEntry append(String actor, String action, String subject, String details) {
        throw new IllegalStateException("audit log unavailable");
      }

      @Override
      public List<AuditEntry> appendAll(List<Append> entries) {
        log.appendAll(entries);
        throw new IllegalStateException("audit log unavailable after writing");
      }

      @Override
      public List<AuditEntry> list(long afterSequence, int limit) {
        return log.list(afterSequence, limit);
      }

      @Override
      public AuditEntry.Head head() {
        return log.head();
      }
    };

    assertThrows(IllegalStateException.class,
        () -> new AuditedDeviceStore(devices, failing, new JdbcAtomic(db.jdbi())).recordReports(applied()));

    assertEquals(0, devices.find("fw-1").orElseThrow().report().appliedGeneration());
    assertEquals(List.of("device.enroll", "desired.advance"), actions());
  }
}
