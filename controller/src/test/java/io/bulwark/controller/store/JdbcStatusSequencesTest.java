package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.testing.TestDatabases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcStatusSequencesTest {
  private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");

  private Database db;
  private JdbcDeviceStore devices;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    devices = new JdbcDeviceStore(db.jdbi());
    devices.upsertEnrolled("web-1", "nftables", List.of(), T0);
    devices.upsertEnrolled("web-2", "nftables", List.of(), T0);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void reportsRaiseTheLastSequence_neverLowerIt_andResetForgetsItForThatDeviceOnly() {
    var failed = new ApplyReport(0, "", 1, ApplyReport.Outcome.FAILED, "nft: no", T0);
    for (long sequence : new long[] {3, 7, 5}) {
      devices.recordReports(List.of(new DeviceStore.Reported("web-1", failed, sequence, null, T0),
          new DeviceStore.Reported("web-2", failed, sequence, null, T0)));
    }
    assertEquals(7, devices.greeting("web-1").orElseThrow().lastSequence());

    new JdbcStatusSequences(db.jdbi()).reset("web-1");

    assertEquals(0, devices.greeting("web-1").orElseThrow().lastSequence());
    assertEquals(7, devices.greeting("web-2").orElseThrow().lastSequence());
  }
}
