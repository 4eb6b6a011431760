package io.bulwark.controller.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.InvalidTokenException;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcTokenStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.controller.testing.TestDatabases;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrollmentTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private final List<String> enrolled = new ArrayList<>();
  private Database db;
  private Enrollment enrollment;
  private CertificateAuthority ca;
  private JdbcDeviceStore devices;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    ca = CertificateAuthority.create("Test CA", clock);
    devices = new JdbcDeviceStore(db.jdbi());
    enrollment = new Enrollment(new JdbcTokenStore(db.jdbi()), devices, ca, Duration.ofDays(1), clock, (device, cert) -> enrolled.add(device));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void enroll_writesTheTokensDeviceIntoTheCertificate_whateverTheRequestAsked() throws Exception {
    var token = enrollment.createToken("host-a", "nftables", List.of("perimeter"), null);
    var result = enrollment.enroll(token.token(), TestCsr.of("CN=admin,O=evil"));
    X509Certificate cert = result.certificate();
    assertEquals(java.util.Optional.of("host-a"), Identities.single(cert, Identities.DEVICE));
    assertEquals("CN=host-a", cert.getSubjectX500Principal().getName());
    cert.verify(ca.certificate().getPublicKey());
    assertEquals(List.of("host-a"), enrolled);
    assertEquals(List.of("perimeter"), devices.find("host-a").orElseThrow().tags());
    assertEquals(clock.instant().plus(Duration.ofDays(1)).getEpochSecond(), cert.getNotAfter().toInstant().getEpochSecond());
  }

  @Test
  void enroll_wrongSecret_isRefusedLikeAnUnknownToken() throws Exception {
    var token = enrollment.createToken("host-a", "nftables", List.of(), null);
    String forged = token.token().substring(0, 23) + "A".repeat(43);
    var e = assertThrows(InvalidTokenException.class, () -> enrollment.enroll(forged, TestCsr.of("CN=x")));
    assertEquals("enrollment token is unknown or already used", e.getMessage());
    assertEquals("host-a", enrollment.enroll(token.token(), TestCsr.of("CN=x")).device());
  }

  @Test
  void enroll_malformedToken_isRefused() {
    assertThrows(InvalidTokenException.class, () -> enrollment.enroll("not-a-token", new byte[0]));
    assertThrows(InvalidTokenException.class, () -> enrollment.enroll(null, new byte[0]));
  }

  @Test
  void enroll_brokenRequest_isRefusedAndDoesNotBurnTheToken() throws Exception {
    var token = enrollment.createToken("host-a", "nftables", List.of(), null);
    assertThrows(InvalidRequestException.class, () -> enrollment.enroll(token.token(), new byte[] {1, 2, 3}));
    assertEquals("host-a", enrollment.enroll(token.token(), TestCsr.of("CN=x")).device());
  }

  @Test
  void enroll_afterTheTokenExpired_isRefused() throws Exception {
    var token = enrollment.createToken("host-a", "nftables", List.of(), Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(6));
    var e = assertThrows(InvalidTokenException.class, () -> enrollment.enroll(token.token(), TestCsr.of("CN=x")));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void createToken_refusesBadNamesTagsAndLifetimes() {
    assertThrows(InvalidRequestException.class, () -> enrollment.createToken("Host A", "nftables", List.of(), null));
    assertThrows(InvalidRequestException.class, () -> enrollment.createToken("host-a", "nftables", List.of("a,b"), null));
    assertThrows(InvalidRequestException.class, () -> enrollment.createToken("host-a", "nftables", List.of(), Duration.ofDays(30)));
    assertThrows(InvalidRequestException.class, () -> enrollment.createToken("host-a", "cisco", List.of(), null));
  }

  @Test
  void createToken_acceptsEveryTargetAnAgentApplies_andRefusesAgentlessOnes() {
    for (String target : List.of("nftables", "iptables", "suricata", "yara", "rpz", "clamav")) {
      assertTrue(enrollment.createToken("host-" + target, target, List.of(), null).token().contains("."), target);
    }
    var e = assertThrows(InvalidRequestException.class, () -> enrollment.createToken("host-a", "junos", List.of(), null));
    assertTrue(e.getMessage().startsWith("target 'junos' has no agent applier; use one of nftables, iptables"), e.getMessage());
  }

  @Test
  void issuedToken_neverPrintsItsSecret() {
    var token = enrollment.createToken("host-a", "nftables", List.of(), null);
    assertTrue(!token.toString().contains(token.token().substring(23)));
  }

  @Test
  void enroll_eightAgentsRacingWithOneToken_exactlyOneGetsACertificate() throws Exception {
    var token = enrollment.createToken("host-a", "nftables", List.of(), null);
    byte[][] requests = new byte[8][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = TestCsr.of("CN=x");
    }
    var start = new java.util.concurrent.CountDownLatch(1);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(requests.length);
    try {
      List<java.util.concurrent.Future<Boolean>> outcomes = new ArrayList<>();
      for (byte[] request : requests) {
        outcomes.add(pool.submit(() -> {
          start.await();
          try {
            enrollment.enroll(token.token(), request);
            return true;
          } catch (InvalidTokenException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int won = 0;
      for (var outcome : outcomes) {
        won += outcome.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(1, won);
      assertEquals(List.of("host-a"), enrolled, "one device enrolled, once");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tokens_expireAfterAnHour_byDefault() throws Exception {
    var token = enrollment.createToken("host-a", "nftables", List.of(), null);

    assertEquals(clock.instant().plus(Duration.ofHours(1)), token.expiresAt());
  }
}
