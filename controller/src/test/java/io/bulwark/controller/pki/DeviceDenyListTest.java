package io.bulwark.controller.pki;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.controller.testing.TestDatabases;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which device certificates count, in a real H2 store, also after a restart. */
class DeviceDenyListTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;
  private CertificateAuthority ca;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    ca = CertificateAuthority.create("Test CA", clock);
    new JdbcDeviceStore(db.jdbi()).upsertEnrolled("host-a", "nftables", List.of(), clock.instant());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private X509Certificate issue() throws Exception {
    return ca.issueDevice(TestCsr.of("CN=host-a"), "host-a", Duration.ofDays(1));
  }

  @Test
  void revokedThenEnrolledAgain_onlyTheNewCertificateAndLaterOnesCount_alsoAfterARestart() throws Exception {
    var deny = new DeviceDenyList(db.jdbi());
    X509Certificate stolen = issue();
    deny.enrolled("host-a", stolen);
    assertFalse(deny.refuses("host-a", stolen));

    deny.revoke("host-a", clock.instant());
    assertTrue(deny.refuses("host-a", stolen));

    clock.advance(Duration.ofMinutes(10));
    X509Certificate fresh = issue();
    deny.enrolled("host-a", fresh);
    clock.advance(Duration.ofHours(16));
    X509Certificate renewed = issue();

    for (DeviceDenyList d : List.of(deny, new DeviceDenyList(db.jdbi()))) {
      assertTrue(d.refuses("host-a", stolen), "issued before the re-enrollment");
      assertFalse(d.refuses("host-a", fresh));
      assertFalse(d.refuses("host-a", renewed));
    }
    new DeviceDenyList(db.jdbi()).revoke("host-a", clock.instant());
    assertTrue(new DeviceDenyList(db.jdbi()).refuses("host-a", renewed), "a revocation is kept across restarts");
  }
}
