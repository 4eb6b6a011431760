package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.host.Pem;
import io.bulwark.agent.testing.FakeAgentService;
import io.bulwark.agent.testing.TestPki;
import io.bulwark.agent.testing.TestSigner;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRenewerTest {

  private static final TestPki PKI = TestPki.create("Bulwark CA");

  @TempDir Path dir;

  private final FakeAgentService controller =
      new FakeAgentService(new TestSigner(), "web-01", Clock.systemUTC());
  private Server server;
  private ManagedChannel channel;
  private DataDir data;
  private AgentIdentity current;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(controller).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    data = new DataDir(dir.resolve("data"));
    data.prepare();
    current = PKI.agentIdentity("web-01");
    Pem.writePrivateKey(data.privateKey(), current.privateKey());
    Pem.writeCertificates(data.certificate(), current.certificateChain());
    Pem.writeCertificates(data.caCertificate(), List.of(current.ca()));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void renewalIsDue_twoThirdsIntoTheLifetime_lessUpToATenthAsJitter() {
    Instant notBefore = current.certificate().getNotBefore().toInstant();
    Duration lifetime = Duration.between(notBefore, current.notAfter());

    Duration noJitter = CertificateRenewer.delayUntilRenewal(current, notBefore, 0.0);
    Duration fullJitter = CertificateRenewer.delayUntilRenewal(current, notBefore, 0.999);

    assertEquals(lifetime.toMillis() * 2 / 3, noJitter.toMillis(), 1);
    assertEquals(lifetime.toMillis() * (2.0 / 3 - 0.0999), fullJitter.toMillis(), 2);
    assertEquals(Duration.ZERO, CertificateRenewer.delayUntilRenewal(current, current.notAfter(), 0.5));
  }

  @Test
  void renew_storesANewKeyAndCertificateForTheSameDevice() {
    controller.renewWith(PKI);

    AgentIdentity renewed = new CertificateRenewer(data).renew(current, channel);

    assertEquals("web-01", renewed.device());
    assertNotEquals(current.certificate(), renewed.certificate());
    AgentIdentity loaded = AgentIdentity.load(data);
    assertEquals(renewed.certificate(), loaded.certificate());
    assertArrayEquals(renewed.privateKey().getEncoded(), loaded.privateKey().getEncoded());
    assertFalse(Files.exists(data.resolve("agent.key.previous")));
  }

  @Test
  void renewalSignedByAnotherCa_isRefused_andNothingChanges() throws Exception {
    controller.renewWith(TestPki.create("Impostor CA"));
    byte[] before = Files.readAllBytes(data.certificate());

    assertThrows(EnrollmentException.class, () -> new CertificateRenewer(data).renew(current, channel));

    assertArrayEquals(before, Files.readAllBytes(data.certificate()));
    assertArrayEquals(current.privateKey().getEncoded(), AgentIdentity.load(data).privateKey().getEncoded());
  }

  @Test
  void crashAfterTheNewKeyButBeforeItsCertificate_loadsTheKeyThatMatches() throws Exception {
    Pem.writePrivateKey(data.resolve("agent.key.previous"), current.privateKey());
    Pem.writePrivateKey(data.privateKey(), TestPki.newKey().getPrivate());

    AgentIdentity loaded = AgentIdentity.load(data);

    assertArrayEquals(current.privateKey().getEncoded(), loaded.privateKey().getEncoded());
  }
}
