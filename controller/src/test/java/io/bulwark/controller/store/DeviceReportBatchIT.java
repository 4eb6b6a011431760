package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore.FirstApplied;
import io.bulwark.controller.domain.DeviceStore.Reported;
import io.bulwark.controller.testing.TestDatabases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A status batch holding several reports of one device, written as one row update, on both stores. */
class DeviceReportBatchIT {
  private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void severalReportsOfADevice_leaveItsLastReport_andItsFurthestApplication(String store) {
    String schema = TestDatabases.newSchemaName();
    Database db = store.equals("h2") ? TestDatabases.freshH2() : TestDatabases.freshPostgres(schema);
    try {
      JdbcDeviceStore devices = new JdbcDeviceStore(db.jdbi());
      devices.upsertEnrolled("a", "nftables", List.of(), T0);
      devices.upsertEnrolled("b", "nftables", List.of(), T0);
      devices.advanceDesired("a", "nftables", "r1", "d1", List.of(5L));
      devices.advanceDesired("a", "nftables", "r2", "d2", List.of(5L));
      devices.recordReport("b", new ApplyReport(3, "d3", 3, ApplyReport.Outcome.APPLIED, "", T0));
      Instant t1 = T0.plusSeconds(1);
      Instant t2 = T0.plusSeconds(2);

      devices.recordReports(List.of(
          reported("a", new ApplyReport(1, "d1", 2, ApplyReport.Outcome.APPLYING, "", T0)),
          reported("b", new ApplyReport(2, "d2", 4, ApplyReport.Outcome.FAILED, "nft: no", t1)),
          reported("a", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", t1)),
          reported("a", new ApplyReport(1, "d1", 3, ApplyReport.Outcome.FAILED, "cut off", t2))));

      ApplyReport a = devices.find("a").orElseThrow().report();
      assertEquals(List.of(2L, "d2", 3L, ApplyReport.Outcome.FAILED, "cut off", t2),
          List.of(a.appliedGeneration(), a.appliedDigest(), a.generation(), a.outcome(), a.error(), a.at()));
      ApplyReport b = devices.find("b").orElseThrow().report();
      assertEquals(List.of(3L, "d3", 4L, ApplyReport.Outcome.FAILED),
          List.of(b.appliedGeneration(), b.appliedDigest(), b.generation(), b.outcome()),
          "an applied generation never moves back");
      assertEquals(List.of(new FirstApplied("a", 5, t1)), devices.firstApplied(),
          "when generation 2 was first applied is kept, and generation 1 was never reported applied");
    } finally {
      db.close();
      if (store.equals("postgres")) {
        TestDatabases.dropPostgresSchema(schema);
      }
    }
  }

  private static Reported reported(String device, ApplyReport report) {
    return new Reported(device, report, 0, null, report.at());
  }
}
