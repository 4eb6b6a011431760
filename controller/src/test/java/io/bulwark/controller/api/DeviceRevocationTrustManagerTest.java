package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.pki.CertificateAuthority;
import io.bulwark.controller.pki.IssuedDeviceCertificates;
import io.bulwark.controller.pki.IssuedDeviceCertificates.Issued;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.controller.testing.MutableClock;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client certificate check of the agent listener, on certificates the real CA issues. */
class DeviceRevocationTrustManagerTest {
  /** The JDK checks validity against the real time, so certificates are issued now. */
  private final MutableClock clock = new MutableClock(Instant.now());
  private final CertificateAuthority ca = CertificateAuthority.create("Test CA", clock);

  private X509Certificate device(CertificateAuthority issuer, String name, Duration validity) throws Exception {
    return issuer.issueDevice(TestCsr.of("CN=" + name), name, validity);
  }

  private static void check(DeviceRevocationTrustManager trust, X509Certificate cert) throws CertificateException {
    trust.checkClientTrusted(new X509Certificate[] {cert}, "UNKNOWN");
  }

  @Test
  void deviceCertificateOfTheCa_isTrusted() throws Exception {
    var trust = new DeviceRevocationTrustManager(ca.certificate(), (d, c) -> false);
    assertDoesNotThrow(() -> check(trust, device(ca, "host-a", Duration.ofDays(1))));
  }

  @Test
  void certificateOfAnotherCaWithTheSameName_isRefused() throws Exception {
    var other = CertificateAuthority.create("Test CA", clock);
    var trust = new DeviceRevocationTrustManager(ca.certificate(), (d, c) -> false);
    assertThrows(CertificateException.class, () -> check(trust, device(other, "host-a", Duration.ofDays(1))));
  }

  @Test
  void expiredCertificate_isRefused() throws Exception {
    var issuedEarlier = CertificateAuthority.create("Old CA", new MutableClock(Instant.now().minus(Duration.ofDays(30))));
    var trust = new DeviceRevocationTrustManager(issuedEarlier.certificate(), (d, c) -> false);
    var cert = device(issuedEarlier, "host-a", Duration.ofDays(1));
    var e = assertThrows(CertificateException.class, () -> check(trust, cert));
    assertTrue(e.getMessage().contains("validity check failed"), "names the validity: " + e);
  }

  @Test
  void serverCertificatePresentedAsClient_isRefused() throws Exception {
    var server = ca.issueServer(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));
    var trust = new DeviceRevocationTrustManager(ca.certificate(), (d, c) -> false);
    assertThrows(CertificateException.class, () -> check(trust, server.certificate()));
  }

  @Test
  void revokedDevice_isRefusedByName() throws Exception {
    var trust = new DeviceRevocationTrustManager(ca.certificate(), (d, c) -> d.equals("host-b"));
    assertDoesNotThrow(() -> check(trust, device(ca, "host-a", Duration.ofDays(1))));
    var e = assertThrows(CertificateException.class, () -> check(trust, device(ca, "host-b", Duration.ofDays(1))));
    assertTrue(e.getMessage().contains("device host-b"), e.getMessage());
  }

  /** The JDK's path validation, counting the certificates it was asked about. */
  private static final class CountingPkix extends javax.net.ssl.X509ExtendedTrustManager {
    final javax.net.ssl.X509ExtendedTrustManager real;
    int calls;

    CountingPkix(X509Certificate ca) {
      real = DeviceRevocationTrustManager.pkix(ca);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      calls++;
      real.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
      calls++;
      real.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws CertificateException {
      calls++;
      real.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("not here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
      throw new CertificateException("not here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws CertificateException {
      throw new CertificateException("not here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return real.getAcceptedIssuers();
    }
  }

  /** A record of issued certificates that holds {@code cert} alone. */
  private static java.util.function.Function<X509Certificate, Optional<Issued>> only(X509Certificate cert) {
    var issued = new Issued(DevicePeers.named(cert, Optional.empty()).orElseThrow(), cert.getNotBefore().getTime());
    return c -> c.equals(cert) ? Optional.of(issued) : Optional.empty();
  }

  @Test
  void certificateIssuedHere_skipsThePathValidation_othersGetIt() throws Exception {
    var pkix = new CountingPkix(ca.certificate());
    X509Certificate issued = device(ca, "host-a", Duration.ofDays(1));
    X509Certificate other = device(ca, "host-b", Duration.ofDays(1));
    var trust = new DeviceRevocationTrustManager(pkix, new DevicePeers(only(issued), (d, notBefore) -> false));

    check(trust, issued);
    assertEquals(0, pkix.calls, "known byte for byte: no path validation");
    check(trust, other);
    assertEquals(1, pkix.calls, "not known: validated");
    var foreign = device(CertificateAuthority.create("Test CA", clock), "host-c", Duration.ofDays(1));
    assertThrows(CertificateException.class, () -> check(trust, foreign));
    assertEquals(2, pkix.calls);
  }

  @Test
  void certificateIssuedHere_ofARevokedDevice_isStillRefused() throws Exception {
    var pkix = new CountingPkix(ca.certificate());
    X509Certificate issued = device(ca, "host-b", Duration.ofDays(1));
    var trust = new DeviceRevocationTrustManager(pkix, new DevicePeers(only(issued), (d, notBefore) -> d.equals("host-b")));
    var e = assertThrows(CertificateException.class, () -> check(trust, issued));
    assertTrue(e.getMessage().contains("device host-b"), e.getMessage());
    assertEquals(0, pkix.calls);
  }

  @Test
  void withTheRealRecord_aCertificateExpiredByItsClock_goesTheFullWay() throws Exception {
    var db = io.bulwark.controller.testing.TestDatabases.freshH2();
    try {
      var record = new IssuedDeviceCertificates(db.jdbi(), ca.pin(), SecretBox.random(), clock);
      X509Certificate cert = device(ca, "host-a", Duration.ofHours(1));
      record.record("host-a", cert);
      var pkix = new CountingPkix(ca.certificate());
      var trust = new DeviceRevocationTrustManager(pkix, new DevicePeers(record::find, (d, notBefore) -> false));

      check(trust, cert);
      assertEquals(0, pkix.calls);

      clock.advance(Duration.ofHours(2));
      // The record's clock says expired; the JDK's own check runs on the real time, where the
      // certificate is still valid, so only the call count shows the full validation was asked for.
      check(trust, cert);
      assertEquals(1, pkix.calls, "no longer valid by the record's clock: validated the full way");
    } finally {
      db.close();
    }
  }

  @Test
  void withTheRealRecord_aCertificateExpiredInRealTime_isRefused() throws Exception {
    var db = io.bulwark.controller.testing.TestDatabases.freshH2();
    try {
      var issuedEarlier = CertificateAuthority.create("Old CA", new MutableClock(Instant.now().minus(Duration.ofDays(30))));
      var record = new IssuedDeviceCertificates(db.jdbi(), issuedEarlier.pin(), SecretBox.random(), clock);
      X509Certificate cert = device(issuedEarlier, "host-a", Duration.ofDays(1));
      record.record("host-a", cert);
      var trust = new DeviceRevocationTrustManager(issuedEarlier.certificate(), new DevicePeers(record::find, (d, nb) -> false));

      var e = assertThrows(CertificateException.class, () -> check(trust, cert));
      assertTrue(e.getMessage().contains("validity check failed"), "names the validity: " + e);
    } finally {
      db.close();
    }
  }

  @Test
  void emptyOrMissingChain_isRefusedAsSuch() {
    var trust = new DeviceRevocationTrustManager(new CountingPkix(ca.certificate()),
        new DevicePeers(c -> Optional.of(new Issued("host-a", 0)), (d, nb) -> false));
    var empty = assertThrows(CertificateException.class, () -> trust.checkClientTrusted(new X509Certificate[0], "UNKNOWN"));
    assertTrue(empty.getMessage().contains("no client certificate"), empty.getMessage());
    assertThrows(CertificateException.class, () -> trust.checkClientTrusted(null, "UNKNOWN"));
  }
}
