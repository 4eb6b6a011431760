package io.bulwark.controller.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.controller.testing.TestDatabases;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which certificates count as issued here, in a real H2 store, also after a restart. */
class IssuedDeviceCertificatesTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private final SecretBox secrets = SecretBox.random();
  private final CertificateAuthority ca = CertificateAuthority.create("Test CA", clock);
  private Database db;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private X509Certificate issue(CertificateAuthority by, String device) throws Exception {
    return by.issueDevice(TestCsr.of("CN=" + device), device, Duration.ofDays(1));
  }

  /** The record as a restarted controller with the same CA and key loads it. */
  private IssuedDeviceCertificates restarted() {
    return new IssuedDeviceCertificates(db.jdbi(), ca.pin(), secrets, clock);
  }

  @Test
  void recordedCertificate_isKnownByItsExactBytes_alsoAfterARestart() throws Exception {
    var issued = restarted();
    X509Certificate cert = issue(ca, "host-a");
    X509Certificate other = issue(ca, "host-b");
    assertFalse(issued.find(cert).isPresent(), "nothing recorded yet");

    issued.record("host-a", cert);

    for (var view : List.of(issued, restarted())) {
      assertEquals(Optional.of(new IssuedDeviceCertificates.Issued("host-a", cert.getNotBefore().getTime())),
          view.find(cert));
      assertFalse(view.find(other).isPresent(), "not recorded");
    }
  }

  @Test
  void renewal_replacesTheDevicesEarlierCertificate_whichIsThenValidatedTheFullWay() throws Exception {
    var issued = restarted();
    X509Certificate first = issue(ca, "host-a");
    issued.record("host-a", first);
    clock.advance(Duration.ofHours(16));
    X509Certificate renewed = issue(ca, "host-a");
    issued.record("host-a", renewed);

    for (var view : List.of(issued, restarted())) {
      assertTrue(view.find(renewed).isPresent());
      assertFalse(view.find(first).isPresent(), "only the latest of a device is held");
      assertEquals(1, view.size());
    }
  }

  @Test
  void certificateOutsideItsValidity_isNotKnown() throws Exception {
    var issued = restarted();
    X509Certificate cert = issue(ca, "host-a");
    issued.record("host-a", cert);

    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertFalse(issued.find(cert).isPresent(), "expired");
    assertEquals(0, restarted().size(), "an expired one is not loaded");
  }

  @Test
  void rowsNotWrittenByThisController_orOfAnotherCa_areNotLoaded() throws Exception {
    X509Certificate mine = issue(ca, "host-a");
    restarted().record("host-a", mine);
    var before = CertificateAuthority.create("Test CA", clock);
    X509Certificate old = issue(before, "host-b");
    new IssuedDeviceCertificates(db.jdbi(), before.pin(), secrets, clock).record("host-b", old);
    X509Certificate forged = issue(CertificateAuthority.create("Other CA", clock), "host-c");
    new IssuedDeviceCertificates(db.jdbi(), ca.pin(), SecretBox.random(), clock).record("host-c", forged);

    var now = restarted();
    assertTrue(now.find(mine).isPresent());
    assertFalse(now.find(old).isPresent(), "issued under a CA that is no longer the controller's");
    assertFalse(now.find(forged).isPresent(), "tagged under another key");
    assertEquals(1, now.size());

    // A row moved to another device, or given a longer life, no longer matches its tag.
    db.jdbi().useHandle(h -> h.execute("UPDATE issued_device_certificates SET device = 'host-z' WHERE device = 'host-a'"));
    assertEquals(0, restarted().size());
  }

  @Test
  void rowsLongExpired_areDeletedAtStart_recentOnesKept() throws Exception {
    restarted().record("host-a", issue(ca, "host-a"));
    clock.advance(Duration.ofDays(10));
    restarted().record("host-b", issue(ca, "host-b"));

    clock.advance(IssuedDeviceCertificates.KEPT_AFTER_EXPIRY.minusDays(5));
    restarted();

    var left = db.jdbi().withHandle(h -> h.createQuery("SELECT device FROM issued_device_certificates")
        .mapTo(String.class).list());
    assertEquals(List.of("host-b"), left, "host-a's expired 34 days ago, host-b's 24 days ago");
  }
}
