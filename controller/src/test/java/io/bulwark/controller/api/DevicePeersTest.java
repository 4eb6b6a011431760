package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.pki.CertificateAuthority;
import io.bulwark.controller.pki.IssuedDeviceCertificates.Issued;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestCsr;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which device a client certificate names on the agent listener, from the record or the certificate. */
class DevicePeersTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private final CertificateAuthority ca = CertificateAuthority.create("Test CA", clock);
  private final List<String> asked = new ArrayList<>();

  private X509Certificate device(String name) throws Exception {
    return ca.issueDevice(TestCsr.of("CN=" + name), name, Duration.ofDays(1));
  }

  @Test
  void recordedCertificate_namesTheRecordedDevice_andTheDenyListGetsTheRecordedValidityStart() throws Exception {
    X509Certificate cert = device("host-a");
    // The record is what counts for a certificate found in it: here it says host-z from 1000 ms.
    var devices = new DevicePeers(c -> c.equals(cert) ? Optional.of(new Issued("host-z", 1000)) : Optional.empty(),
        (d, notBefore) -> asked.add(d + "@" + notBefore) && false);

    assertEquals(Optional.of("host-z"), devices.device(cert));
    assertEquals(List.of("host-z@1000"), asked);
  }

  @Test
  void otherCertificate_namesTheDeviceOfItsSubjectAlternativeName() throws Exception {
    X509Certificate cert = device("host-b");
    var devices = DevicePeers.unrecorded((d, notBefore) -> asked.add(d + "@" + notBefore) && false);

    assertEquals(Optional.of("host-b"), devices.device(cert));
    assertEquals(List.of("host-b@" + cert.getNotBefore().getTime()), asked);
  }

  @Test
  void aCertificateExpiredInRealTime_namesNoDeviceForACall_unlessTheRecordHoldsIt() throws Exception {
    var earlier = CertificateAuthority.create(
        "Old CA", new MutableClock(java.time.Instant.now().minus(Duration.ofDays(3))));
    X509Certificate expired = earlier.issueDevice(TestCsr.of("CN=host-d"), "host-d", Duration.ofDays(1));
    X509Certificate valid = CertificateAuthority.create("Now CA", MutableClock.now())
        .issueDevice(TestCsr.of("CN=host-e"), "host-e", Duration.ofDays(1));
    var devices = DevicePeers.unrecorded((d, notBefore) -> false);

    assertEquals(Optional.empty(), devices.deviceForCall(expired), "a call on a connection made before it expired");
    assertEquals(Optional.of("host-e"), devices.deviceForCall(valid));
    // At the handshake, validity is the trust manager's to check (on its own clock).
    assertEquals(Optional.of("host-d"), devices.device(expired));
  }

  @Test
  void refusedDevice_namesNone_eitherWay() throws Exception {
    X509Certificate recorded = device("host-c");
    X509Certificate other = device("host-c");
    var devices = new DevicePeers(
        c -> c.equals(recorded) ? Optional.of(new Issued("host-c", recorded.getNotBefore().getTime())) : Optional.empty(),
        (d, notBefore) -> d.equals("host-c"));

    assertEquals(Optional.empty(), devices.device(recorded));
    assertEquals(Optional.empty(), devices.device(other));
  }
}
