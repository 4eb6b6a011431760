package io.bulwark.controller.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.controller.testing.TestDatabases;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which certificates count as issued here, in a real H2 store, also after a restart. */
class IssuedDeviceCertificatesTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;
  private CertificateAuthority ca;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    ca = CertificateAuthority.create("Test CA", clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private X509Certificate issue(CertificateAuthority by, String device) throws Exception {
    return by.issueDevice(TestCsr.of("CN=" + device), device, Duration.ofDays(1));
  }

  @Test
  void recordedCertificate_isKnownByItsExactBytes_alsoAfterARestart() throws Exception {
    var issued = new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock);
    X509Certificate cert = issue(ca, "host-a");
    X509Certificate sameDeviceNotRecorded = issue(ca, "host-a");
    assertFalse(issued.find(cert).isPresent(), "nothing recorded yet");

    issued.record("host-a", cert);

    for (var view : java.util.List.of(issued, new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock))) {
      assertEquals(java.util.Optional.of(new IssuedDeviceCertificates.Issued("host-a", cert.getNotBefore().getTime())),
          view.find(cert));
      assertFalse(view.find(sameDeviceNotRecorded).isPresent(), "another certificate of the same device");
    }
  }

  @Test
  void certificateOutsideItsValidity_isNotKnown() throws Exception {
    var issued = new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock);
    X509Certificate cert = issue(ca, "host-a");
    issued.record("host-a", cert);

    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertFalse(issued.find(cert).isPresent(), "expired");
    assertEquals(0, new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock).size(), "an expired one is not loaded");
  }

  @Test
  void certificatesOfAnotherCa_areNotLoaded() throws Exception {
    var before = CertificateAuthority.create("Test CA", clock);
    X509Certificate old = issue(before, "host-a");
    new IssuedDeviceCertificates(db.jdbi(), before.pin(), clock).record("host-a", old);

    var now = new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock);
    assertFalse(now.find(old).isPresent(), "issued under a CA that is no longer the controller's");
    assertEquals(0, now.size());
  }

  @Test
  void rowsLongExpired_areDeletedAtStart_recentOnesKept() throws Exception {
    new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock).record("host-a", issue(ca, "host-a"));
    clock.advance(Duration.ofDays(10));
    new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock).record("host-b", issue(ca, "host-b"));

    clock.advance(IssuedDeviceCertificates.KEPT_AFTER_EXPIRY.minusDays(5));
    new IssuedDeviceCertificates(db.jdbi(), ca.pin(), clock);

    var left = db.jdbi().withHandle(h -> h.createQuery("SELECT device FROM issued_device_certificates")
        .mapTo(String.class).list());
    assertEquals(java.util.List.of("host-b"), left, "host-a's expired 34 days ago, host-b's 24 days ago");
  }
}
