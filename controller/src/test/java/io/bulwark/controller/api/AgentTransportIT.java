package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.Agent;
import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.link.AgentIdentity;
import io.bulwark.agent.link.CertificateRenewer;
import io.bulwark.agent.link.Enroller;
import io.bulwark.agent.link.EnrollmentException;
import io.bulwark.agent.link.TlsChannelFactory;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.pki.CertificateAuthority;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestCsr;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment and the agent stream over real TLS on loopback, with the real agent's enroller. */
class AgentTransportIT {
  @TempDir Path work;
  /** Real TLS checks certificate validity against the real time, so the controller issues them now. */
  private final MutableClock clock = MutableClock.now();
  private ControllerMain controller;
  private AdminClient admin;
  private HostPort address;

  @BeforeEach
  void start() {
    Path dataDir = work.resolve("controller");
    controller = new ControllerMain(new ControllerConfig(dataDir, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)), clock).start();
    admin = AdminClient.open(dataDir);
    address = new HostPort("127.0.0.1", controller.agentAddress().getPort());
  }

  @AfterEach
  void stop() {
    admin.close();
    controller.close();
  }

  @Test
  void enrolledAgent_opensTheStreamAndReceivesItsDesiredState() throws Exception {
    AgentIdentity identity = enroll("host-a");
    assertEquals("host-a", identity.device());
    ControllerMessage first = firstMessage(channel(identity.privateKey(), identity.certificateChain().get(0), identity.ca()));
    assertEquals(1, first.getDesiredState().getGeneration());
  }

  @Test
  void enrollingAgain_numbersTheNewAgentsReportsAboveAnyTheAgentEnrolledBeforeUsed() throws Exception {
    long start = java.time.Instant.now().toEpochMilli() * 1000;
    DataDir first = new DataDir(work.resolve("agent-numbered-1"));
    new Enroller(address, first, new TlsChannelFactory(), clock, "test").enroll(tokenFile("host-n", 3600));
    var report = new io.bulwark.agent.bundle.ApplyReport(1, io.bulwark.agent.bundle.ApplyReport.Phase.APPLIED,
        "", "", 1);
    var old = new io.bulwark.agent.outbox.StatusOutbox(first.outbox());
    long oldFirst = old.append(report).sequence();
    for (int i = 0; i < 50; i++) {
      old.append(report);
    }
    DataDir second = new DataDir(work.resolve("agent-numbered-2"));
    new Enroller(address, second, new TlsChannelFactory(), clock, "test").enroll(tokenFile("host-n", 3600));

    long newFirst = new io.bulwark.agent.outbox.StatusOutbox(second.outbox()).append(report).sequence();
    assertTrue(oldFirst > start, "numbered from the controller's clock in microseconds: " + oldFirst);
    assertTrue(newFirst > oldFirst + 50, newFirst + " is above every report of the agent enrolled before");
  }

  @Test
  void renewal_overMutualTls_givesANewCertificateForTheSameDevice_thatOpensTheStream() throws Exception {
    DataDir dir = new DataDir(work.resolve("agent-renew"));
    AgentIdentity enrolled = new Enroller(address, dir, new TlsChannelFactory(), clock, "test")
        .enroll(tokenFile("host-r", 3600)).identity();
    // The clock stays put: the JDK checks TLS certificates against the real time.
    ManagedChannel mtls = new TlsChannelFactory().agentChannel(address, enrolled);
    AgentIdentity renewed;
    try {
      renewed = new CertificateRenewer(dir).renew(enrolled, mtls);
    } finally {
      mtls.shutdownNow();
    }
    assertEquals("host-r", renewed.device());
    assertNotEquals(enrolled.certificate().getSerialNumber(), renewed.certificate().getSerialNumber());
    assertNotEquals(enrolled.certificate().getPublicKey(), renewed.certificate().getPublicKey(), "a new key");
    assertEquals(renewed.certificate(), AgentIdentity.load(dir).certificate());
    ControllerMessage first = firstMessage(channel(renewed.privateKey(), renewed.certificate(), renewed.ca()));
    assertEquals(1, first.getDesiredState().getGeneration());
  }

  @Test
  void controllerRestart_agentReconnectsByItself() throws Exception {
    Path agentDir = work.resolve("agent-restart");
    Agent agent = new Agent(new AgentConfig(address, agentDir, tokenFile("host-a", 3600), new DryRunApplier(agentDir), clock));
    try {
      agent.start();
      assertTrue(agent.awaitApplied(1, Duration.ofSeconds(20)), "first generation not applied");
      int port = address.port();
      admin.close();
      controller.close();
      assertEquals("offline", deviceState("host-a", work.resolve("controller"), port, false));
      controller = new ControllerMain(new ControllerConfig(work.resolve("controller"), new InetSocketAddress("127.0.0.1", port),
          new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)), clock).start();
      admin = AdminClient.open(work.resolve("controller"));
      assertEquals("compliant", deviceState("host-a", work.resolve("controller"), port, true));
    } finally {
      agent.stop();
    }
  }

  /** Polls until the device is compliant (when {@code connected}) or reads its state once. */
  private String deviceState(String device, Path dataDir, int port, boolean waitForCompliant) throws Exception {
    if (!waitForCompliant) {
      var d = new io.bulwark.controller.store.Database(io.bulwark.controller.store.Database.h2FileUrl(dataDir), null).start();
      try {
        return new io.bulwark.controller.store.JdbcDeviceStore(d.jdbi()).find(device).orElseThrow().state().label();
      } finally {
        d.close();
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = admin.stub().listDeviceStatus(io.bulwark.proto.admin.v1.ListDeviceStatusRequest.getDefaultInstance())
          .getDevices(0).getState();
      if (state.equals("compliant")) {
        return state;
      }
      Thread.sleep(100);
    }
    return state;
  }

  @Test
  void revokedDevice_isCutOffMidStream_andRefusedAtEveryHandshake() throws Exception {
    AgentIdentity identity = enroll("host-r");
    ManagedChannel channel = channel(identity.privateKey(), identity.certificateChain().get(0), identity.ca());
    var closed = new CompletableFuture<Throwable>();
    var received = new java.util.concurrent.LinkedBlockingQueue<ControllerMessage>();
    try {
      openStream(channel, received::add, closed);
      assertTrue(received.poll(20, TimeUnit.SECONDS) != null, "the stream is open");
      admin.stub().revokeDevice(io.bulwark.proto.admin.v1.RevokeDeviceRequest.newBuilder().setDevice("host-r")
          .setReason("stolen laptop").build());
      assertTrue(closed.get(10, TimeUnit.SECONDS) != null, "the open stream must be cut");
      // The connection made before the revocation is good for nothing: no renewal, no new stream.
      var renew = assertThrows(StatusRuntimeException.class, () -> AgentServiceGrpc.newBlockingStub(channel)
          .renew(io.bulwark.proto.agent.v1.RenewRequest.newBuilder()
              .setCsrDer(com.google.protobuf.ByteString.copyFrom(TestCsr.of("CN=host-r"))).build()));
      assertEquals(Status.Code.UNAUTHENTICATED, renew.getStatus().getCode());
      var again = assertThrows(Exception.class, () -> firstMessage(channel));
      assertEquals(Status.Code.UNAUTHENTICATED, status(again).getCode(), "a new stream on the old connection");
    } finally {
      channel.shutdownNow();
    }
    var e = assertThrows(Exception.class,
        () -> firstMessage(channel(identity.privateKey(), identity.certificateChain().get(0), identity.ca())));
    assertEquals(Status.Code.UNAVAILABLE, status(e).getCode(), "refused at the handshake");
    // A new one-time token brings the device back, with the certificate it issues; the stolen one stays refused.
    clock.advance(Duration.ofMinutes(1));
    var back = enroller("r2").enroll(tokenFile("host-r", 3600));
    assertEquals("host-r", back.device());
    ManagedChannel fresh = channel(back.identity().privateKey(), back.identity().certificateChain().get(0),
        back.identity().ca());
    ManagedChannel stolen = channel(identity.privateKey(), identity.certificateChain().get(0), identity.ca());
    try {
      assertTrue(firstMessage(fresh) != null);
      assertEquals(Status.Code.UNAVAILABLE, status(assertThrows(Exception.class, () -> firstMessage(stolen))).getCode(),
          "the certificate from before the re-enrollment");
    } finally {
      fresh.shutdownNow();
      stolen.shutdownNow();
    }
  }

  @Test
  void tokenUsedTwice_isRefused() {
    Path token = tokenFile("host-a", 3600);
    Path copy = work.resolve("token-copy");
    copyFile(token, copy);
    enroller("a1").enroll(token);
    var e = assertThrows(EnrollmentException.class, () -> enroller("a2").enroll(copy));
    assertTrue(e.getMessage().contains("already used"), e.getMessage());
  }

  @Test
  void expiredToken_isRefused() {
    Path token = tokenFile("host-a", 60);
    clock.advance(Duration.ofMinutes(2));
    var e = assertThrows(EnrollmentException.class, () -> enroller("a1").enroll(token));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void controllerWhoseCaDoesNotMatchThePin_getsNoToken() throws Exception {
    Path token = tokenFile("host-a", 3600);
    String text = Files.readString(token).replaceAll("ca_pin=sha256:[0-9a-f]{64}", "ca_pin=sha256:" + "ab".repeat(32));
    Files.writeString(token, text);
    var e = assertThrows(EnrollmentException.class, () -> enroller("a1").enroll(token));
    assertTrue(e.getMessage().contains("pin"), e.getMessage());
    // The token was never sent, so it still works with the right pin.
    assertEquals("host-a", enroller("a2").enroll(tokenFile("host-a", 3600)).device());
  }

  @Test
  void streamWithoutClientCertificate_isRefused() throws Exception {
    AgentIdentity identity = enroll("host-a");
    var e = assertThrows(Exception.class, () -> firstMessage(channel(null, null, identity.ca())));
    assertEquals(Status.Code.UNAUTHENTICATED, status(e).getCode());
  }

  @Test
  void certificateFromAnotherCa_isRefusedAtTheHandshake() throws Exception {
    AgentIdentity identity = enroll("host-a");
    CertificateAuthority other = CertificateAuthority.create("Other CA", clock);
    KeyPair keys = CertificateAuthority.newKeyPair();
    X509Certificate foreign = other.issueDevice(TestCsr.of(keys, "CN=host-a"), "host-a", Duration.ofDays(1));
    var e = assertThrows(Exception.class, () -> firstMessage(channel(keys.getPrivate(), foreign, identity.ca())));
    // The client offers no certificate the server's CA list accepts, or the server rejects it.
    assertTrue(List.of(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED).contains(status(e).getCode()), e.toString());
  }

  @Test
  void expiredCertificateFromTheRightCa_isRefusedAtTheHandshake() throws Exception {
    AgentIdentity identity = enroll("host-a");
    MutableClock past = new MutableClock(clock.instant().minus(Duration.ofDays(34)));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(work.resolve("controller").resolve("pki"), past);
    KeyPair keys = CertificateAuthority.newKeyPair();
    X509Certificate expired = ca.issueDevice(TestCsr.of(keys, "CN=host-a"), "host-a", Duration.ofDays(1));
    var e = assertThrows(Exception.class, () -> firstMessage(channel(keys.getPrivate(), expired, identity.ca())));
    assertEquals(Status.Code.UNAVAILABLE, status(e).getCode());
  }

  private AgentIdentity enroll(String device) {
    return enroller(device).enroll(tokenFile(device, 3600)).identity();
  }

  private Enroller enroller(String dir) {
    return new Enroller(address, new DataDir(work.resolve("agent-" + dir + "-" + System.nanoTime())), new TlsChannelFactory(),
        clock, "test");
  }

  @Test
  void enrollingAgain_closesTheStreamOfTheCertificateItReplaces_beforeTheNewStateIsPushed() throws Exception {
    AgentIdentity old = enroll("host-e");
    ManagedChannel channel = channel(old.privateKey(), old.certificateChain().get(0), old.ca());
    var closed = new CompletableFuture<Throwable>();
    var received = new java.util.concurrent.LinkedBlockingQueue<ControllerMessage>();
    try {
      openStream(channel, received::add, closed);
      assertTrue(received.poll(20, TimeUnit.SECONDS) != null, "the old agent's stream is open");
      clock.advance(Duration.ofMinutes(1));
      enroller("e2").enroll(tokenFile("host-e", 3600));
      Throwable cut = closed.get(10, TimeUnit.SECONDS);
      assertEquals(Status.Code.UNAVAILABLE, status(cut).getCode());
      assertTrue(status(cut).getDescription().contains("enrolled again"), status(cut).getDescription());
      assertEquals(List.of(), List.copyOf(received), "nothing was pushed to it after the new enrollment");
    } finally {
      channel.shutdownNow();
    }
  }

  /** Opens a stream on {@code channel} and says hello: what comes goes to {@code received}, its end (an error or null) to {@code closed}. */
  private static void openStream(ManagedChannel channel, java.util.function.Consumer<ControllerMessage> received,
      CompletableFuture<Throwable> closed) {
    AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage value) {
        received.accept(value);
      }

      @Override
      public void onError(Throwable t) {
        closed.complete(t);
      }

      @Override
      public void onCompleted() {
        closed.complete(null);
      }
    }).onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setApplier("dry-run")).build());
  }

  private Path tokenFile(String device, long ttlSeconds) {
    var r = admin.stub().createEnrollmentToken(
        CreateEnrollmentTokenRequest.newBuilder().setDevice(device).setTtlSeconds(ttlSeconds).build());
    Path file = work.resolve("token-" + System.nanoTime());
    io.bulwark.controller.cli.TokenFiles.write(file, r);
    return file;
  }

  private ManagedChannel channel(PrivateKey key, X509Certificate cert, X509Certificate ca) throws Exception {
    var ssl = GrpcSslContexts.forClient().trustManager(ca);
    if (key != null) {
      ssl.keyManager(key, cert);
    }
    return NettyChannelBuilder.forAddress("127.0.0.1", address.port()).sslContext(ssl.build()).build();
  }

  private static ControllerMessage firstMessage(ManagedChannel channel) throws Exception {
    try {
      var first = new CompletableFuture<ControllerMessage>();
      var ended = new CompletableFuture<Throwable>();
      ended.thenAccept(t -> first.completeExceptionally(t != null ? t : new AssertionError("stream completed without a message")));
      openStream(channel, first::complete, ended);
      return first.get(20, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow();
    }
  }

  private static Status status(Throwable e) {
    Throwable t = e;
    while (t != null && !(t instanceof StatusRuntimeException)) {
      t = t.getCause();
    }
    if (t == null) {
      throw new AssertionError("not a gRPC failure", e);
    }
    return ((StatusRuntimeException) t).getStatus();
  }

  private static void copyFile(Path from, Path to) {
    try {
      Files.copy(from, to);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
