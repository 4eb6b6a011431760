package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.config.ConfigException;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.bundle.SigningKeyPin;
import io.bulwark.agent.testing.FakeEnrollmentService;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.agent.testing.InProcessChannels;
import io.bulwark.agent.testing.TestPki;
import io.bulwark.agent.testing.TokenFiles;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollerTest {

  private static final TestPki PKI = TestPki.create("Bulwark CA");
  private static final String TOKEN = "tok1.secretpart";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private final TestSigner signer = new TestSigner();
  private final FakeEnrollmentService service =
      new FakeEnrollmentService(PKI, signer, TOKEN, "web-01");
  private Server server;
  private Enroller enroller;
  private DataDir data;

  @BeforeEach
  void startServer() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    data = new DataDir(dir.resolve("data"));
    enroller = new Enroller(null, data, new InProcessChannels(name), CLOCK, "test");
  }

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  @Test
  void enroll_storesKey0600_certificateAndCa_andDeletesTheToken() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "ctl.example:7443");

    EnrollmentResult result = enroller.enroll(token);

    assertEquals("web-01", result.device());
    assertEquals("nftables", result.target());
    assertTrue(data.isEnrolled());
    assertEquals("rwx------", mode(data.root()));
    assertEquals("rw-------", mode(data.privateKey()));
    AgentIdentity stored = AgentIdentity.load(data);
    assertEquals("web-01", stored.device());
    assertEquals(PKI.ca(), stored.ca());
    assertTrue(
        Arrays.equals(
            result.identity().privateKey().getEncoded(), stored.privateKey().getEncoded()));
    assertFalse(Files.exists(token));
    assertEquals(new HostPort("ctl.example", 7443), data.rememberedController().orElseThrow());
    assertEquals(signer.publicKey(), SigningKeyPin.load(data.bundleSigningKey()));
  }

  @Test
  void enroll_refused_carriesTheServersReason_andKeepsTheTokenFile() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "ctl.example:7443");
    enroller.enroll(token);
    Path again = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "ctl.example:7443");

    EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller.enroll(again));

    assertEquals("enrollment refused: token already used", e.getMessage());
    assertTrue(Files.exists(again));
  }

  @Test
  void enroll_responseWithAnotherCa_isRefused_andStoresNoCertificate() throws Exception {
    service.sendCa(TestPki.create("Impostor CA").ca());
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "ctl.example:7443");

    EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller.enroll(token));

    assertTrue(
        e.getMessage().startsWith("the CA in the enrollment response does not match the pin"),
        e.getMessage());
    assertFalse(Files.exists(data.certificate()));
    assertTrue(Files.exists(token));
  }

  @Test
  void enroll_certificateForAnotherDeviceThanTheToken_isRefused_andNothingIsStored() throws Exception {
    Path token = TokenFiles.write(dir, "web-02", TOKEN, PKI.pin(), "ctl.example:7443");

    EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller.enroll(token));

    assertEquals("the token file " + token + " is for device web-02 but the controller issued a certificate for"
        + " web-01", e.getMessage());
    assertFalse(data.isEnrolled());
    assertTrue(Files.exists(token));
  }

  @Test
  void enroll_withoutAnyControllerAddress_isAConfigError() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), null);

    ConfigException e = assertThrows(ConfigException.class, () -> enroller.enroll(token));

    assertTrue(e.getMessage().startsWith("no controller address"), e.getMessage());
  }

  @Test
  void enroll_neverPutsTheTokenInAnExceptionMessage() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", "tok2.othersecret", PKI.pin(), "ctl:1");

    EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller.enroll(token));

    assertEquals("enrollment refused: unknown token", e.getMessage());
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
