package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.pki.CertificateAuthority;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.controller.testing.MutableClock;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
