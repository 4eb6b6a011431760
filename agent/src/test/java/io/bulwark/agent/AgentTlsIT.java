package io.bulwark.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.link.AgentIdentity;
import io.bulwark.agent.link.Enroller;
import io.bulwark.agent.link.EnrollmentException;
import io.bulwark.agent.link.TlsChannelFactory;
import io.bulwark.agent.testing.FakeAgentService;
import io.bulwark.agent.testing.FakeEnrollmentService;
import io.bulwark.agent.testing.TestPki;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.agent.testing.TokenFiles;
import com.google.protobuf.ByteString;
import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.chunk.RuleChunks;
import io.bulwark.proto.agent.v1.ApplyState;
import io.bulwark.proto.agent.v1.ApplyStatus;
import io.bulwark.proto.agent.v1.BundleHeader;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.RuleChunk;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The agent against a controller stand-in on 127.0.0.1 with real TLS and mutual TLS. */
class AgentTlsIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TOKEN = "tok1.s3cret";
  private static final TestPki PKI = TestPki.create("Bulwark CA");

  @TempDir Path dir;

  private final TestSigner signer = new TestSigner();
  private final FakeAgentService agentService =
      new FakeAgentService(signer, "web-01", Clock.systemUTC());
  private final FakeEnrollmentService enrollment =
      new FakeEnrollmentService(PKI, signer, TOKEN, "web-01");
  private final List<String> streamPeers = new CopyOnWriteArrayList<>();
  private Server server;
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.stop();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void enrollsOverPinnedTls_thenStreamsOverMutualTls_andApplies() throws Exception {
    int port = startServer(PKI.server("localhost", "127.0.0.1"));
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "localhost:" + port);
    Path data = dir.resolve("data");
    agent =
        new Agent(
            new AgentConfig(
                new HostPort("localhost", port),
                data,
                token,
                new DryRunApplier(data),
                Clock.systemUTC()));

    agent.start();

    assertTrue(agent.awaitEnrolled(WAIT));
    assertEquals("web-01", agent.device().orElseThrow());
    assertFalse(Files.exists(token));
    FakeAgentService.Stream stream = agentService.nextStream(WAIT);
    assertEquals("dry-run", stream.next(WAIT).getHello().getApplier());
    assertEquals(List.of("web-01"), streamPeers);
    assertTrue(agent.awaitConnected(WAIT));

    stream.send(1, "table inet bulwark {\n}\n", null);

    assertEquals(ApplyState.APPLY_STATE_APPLIED, stream.nextOutcome(WAIT));
    assertTrue(agent.awaitApplied(1, WAIT));
    assertEquals("table inet bulwark {\n}\n", Files.readString(data.resolve("dry-run.nft")));
  }

  @Test
  void alteredChunk_isRefusedAndNothingApplied_thenTheIntactTransferApplies() throws Exception {
    Path data = dir.resolve("data");
    FakeAgentService.Stream stream = connectedAgent(data);
    String rules = bigSet(250_000);
    BundleHeader header = TestSigner.header("web-01", 1, rules, Instant.now()).build();
    List<ControllerMessage> messages =
        signer.chunked(header, ByteString.copyFromUtf8(rules), RuleChunks.DEFAULT_CHUNK_BYTES);
    assertTrue(messages.size() > 4, "at least three chunks after the first message");
    List<ControllerMessage> altered = new ArrayList<>(messages);
    RuleChunk chunk = altered.get(2).getRuleChunk();
    byte[] bytes = chunk.getData().toByteArray();
    bytes[1000] = (byte) (bytes[1000] == '1' ? '2' : '1');
    altered.set(2, ControllerMessage.newBuilder()
        .setRuleChunk(chunk.toBuilder().setData(ByteString.copyFrom(bytes))).build());

    altered.forEach(stream::send);

    ApplyStatus refused = stream.next(WAIT).getStatus();
    assertEquals(ApplyState.APPLY_STATE_REJECTED, refused.getState());
    assertTrue(refused.getError().contains("digest mismatch"), refused.getError());
    assertNull(stream.poll(Duration.ofMillis(500)), "nothing applied");
    assertFalse(Files.exists(data.resolve("dry-run.nft")));
    assertEquals(0, agent.appliedState().generation());

    messages.forEach(stream::send);

    assertEquals(ApplyState.APPLY_STATE_APPLIED, stream.nextOutcome(WAIT));
    assertEquals(header.getDigest(), agent.appliedState().digest());
    assertEquals(rules, Files.readString(data.resolve("dry-run.nft")));
  }

  @Test
  void singleMessageLargerThanTheAgentLimit_endsTheStream_andTheAgentReconnects() throws Exception {
    FakeAgentService.Stream stream = connectedAgent(dir.resolve("data"));

    stream.send(1, bigSet(400_000), null);

    assertTrue(agentService.nextStream(WAIT).next(WAIT).hasHello(), "a new stream");
    assertEquals(0, agent.appliedState().generation());
  }

  @Test
  void expiredCertificate_enrollsAgainWithANewTokenForTheSameDevice_andWithoutOneSaysWhatToDo() throws Exception {
    int port = startServer(PKI.server("localhost", "127.0.0.1"));
    Path data = dir.resolve("data");
    agent = new Agent(new AgentConfig(new HostPort("localhost", port), data,
        TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), null), new DryRunApplier(data), Clock.systemUTC()));
    agent.start();
    agent.stop();
    agent = null;
    java.security.cert.X509Certificate first =
        io.bulwark.agent.link.AgentIdentity.load(new io.bulwark.agent.host.DataDir(data)).certificateChain().get(0);
    Clock afterExpiry = Clock.fixed(first.getNotAfter().toInstant().plusSeconds(60), java.time.ZoneOffset.UTC);
    Path noToken = dir.resolve("gone.token");

    var missing = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.agent.config.ConfigException.class,
        () -> new Agent(new AgentConfig(new HostPort("localhost", port), data, noToken, new DryRunApplier(data),
            afterExpiry)).start());
    assertTrue(missing.getMessage().startsWith("the certificate of device web-01 expired at "), missing.getMessage());
    assertTrue(missing.getMessage().contains("bulwark token create --device web-01"), missing.getMessage());

    Path otherDevice = TokenFiles.write(dir, "web-02", "tok2.other", PKI.pin(), null);
    var other = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.agent.config.ConfigException.class,
        () -> new Agent(new AgentConfig(new HostPort("localhost", port), data, otherDevice, new DryRunApplier(data),
            afterExpiry)).start());
    assertTrue(other.getMessage().contains("is for device web-02, but this data directory belongs to device web-01"),
        other.getMessage());

    enrollment.addToken("tok3.fresh");
    Path fresh = TokenFiles.write(dir, "web-01", "tok3.fresh", PKI.pin(), null);
    agent = new Agent(new AgentConfig(new HostPort("localhost", port), data, fresh, new DryRunApplier(data),
        afterExpiry));
    agent.start();

    java.security.cert.X509Certificate second =
        io.bulwark.agent.link.AgentIdentity.load(new io.bulwark.agent.host.DataDir(data)).certificateChain().get(0);
    assertFalse(first.getSerialNumber().equals(second.getSerialNumber()), "a new certificate");
    assertFalse(first.getPublicKey().equals(second.getPublicKey()), "for a new key");
    assertTrue(Files.exists(data.resolve("agent.crt.expired")), "the old one is kept aside");
    assertFalse(Files.exists(fresh), "the token was used");
  }

  @Test
  void clockPastTwoThirdsOfTheCertificate_renewsItWithANewKey_forTheSameDevice() throws Exception {
    agentService.renewWith(PKI);
    int port = startServer(PKI.server("localhost", "127.0.0.1"));
    Path data = dir.resolve("data");
    agent = new Agent(new AgentConfig(new HostPort("localhost", port), data,
        TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), null), new DryRunApplier(data), Clock.systemUTC()));
    agent.start();
    assertTrue(agentService.nextStream(WAIT).next(WAIT).hasHello());
    agent.stop();
    var dataDir = new io.bulwark.agent.host.DataDir(data);
    java.security.cert.X509Certificate first = io.bulwark.agent.link.AgentIdentity.load(dataDir).certificateChain().get(0);
    long lifetime = first.getNotAfter().getTime() - first.getNotBefore().getTime();
    // Five sixths of the way: past the two thirds at which the agent renews, before expiry.
    Clock late = Clock.fixed(first.getNotBefore().toInstant().plusMillis(lifetime * 5 / 6), java.time.ZoneOffset.UTC);

    agent = new Agent(new AgentConfig(new HostPort("localhost", port), data, null, new DryRunApplier(data), late));
    agent.start();

    long deadline = System.nanoTime() + WAIT.toNanos();
    java.security.cert.X509Certificate renewed = first;
    while (renewed.getSerialNumber().equals(first.getSerialNumber()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      renewed = io.bulwark.agent.link.AgentIdentity.load(dataDir).certificateChain().get(0);
    }
    assertFalse(renewed.getSerialNumber().equals(first.getSerialNumber()), "renewed by the clock alone");
    assertFalse(renewed.getPublicKey().equals(first.getPublicKey()), "with a new key");
    assertEquals("web-01", io.bulwark.agent.link.AgentIdentity.deviceOf(renewed));
  }

  /** An enrolled agent whose stream is open, its hello read. */
  private FakeAgentService.Stream connectedAgent(Path data) throws Exception {
    int port = startServer(PKI.server("localhost", "127.0.0.1"));
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "localhost:" + port);
    agent = new Agent(new AgentConfig(new HostPort("localhost", port), data, token,
        new DryRunApplier(data), Clock.systemUTC()));
    agent.start();
    FakeAgentService.Stream stream = agentService.nextStream(WAIT);
    assertTrue(stream.next(WAIT).hasHello());
    assertTrue(agent.awaitConnected(WAIT));
    return stream;
  }

  /** An nftables table with one set of {@code elements} addresses; about 16 bytes each. */
  private static String bigSet(int elements) {
    StringBuilder s = new StringBuilder("table inet bulwark {\n\tset blocked_v4 {\n\t\ttype ipv4_addr\n");
    s.append("\t\telements = {\n");
    String[] addresses = GeneratedRules.addresses(elements);
    for (int i = 0; i < elements; i++) {
      s.append("\t\t\t").append(addresses[i]).append(i + 1 < elements ? ",\n" : "\n");
    }
    return s.append("\t\t}\n\t}\n}\n").toString();
  }

  @Test
  void restartedController_isReconnected() throws Exception {
    TestPki.Issued serverCert = PKI.server("localhost", "127.0.0.1");
    int port = startServer(serverCert);
    Path data = dir.resolve("data");
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), null);
    agent =
        new Agent(
            new AgentConfig(
                new HostPort("127.0.0.1", port),
                data,
                token,
                new DryRunApplier(data),
                Clock.systemUTC()));
    agent.start();
    agentService.nextStream(WAIT).next(WAIT);

    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    startServer(serverCert, port);

    assertTrue(agentService.nextStream(WAIT).next(WAIT).hasHello());
  }

  @Test
  void controllerWithAnotherCa_isRefusedBeforeTheTokenIsSent() throws Exception {
    TestPki impostor = TestPki.create("Impostor CA");
    int port = startServer(impostor.server("localhost", "127.0.0.1"));
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), null);
    Path data = dir.resolve("data");
    agent =
        new Agent(
            new AgentConfig(
                new HostPort("localhost", port),
                data,
                token,
                new DryRunApplier(data),
                Clock.systemUTC()));

    EnrollmentException e = assertThrows(EnrollmentException.class, agent::start);

    assertTrue(
        e.getMessage()
            .contains(
                "controller CA does not match the pin in the token file: "
                    + "expected "
                    + PKI.pin()
                    + ", got "),
        e.getMessage());
    assertTrue(Files.exists(token));
    assertFalse(Files.exists(data.resolve("agent.crt")));
  }

  @Test
  void controllerCertificateForAnotherHost_failsHostnameVerification() throws Exception {
    int port = startServer(PKI.server("controller.example"));
    Path token = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), null);
    Path data = dir.resolve("data");
    agent =
        new Agent(
            new AgentConfig(
                new HostPort("localhost", port),
                data,
                token,
                new DryRunApplier(data),
                Clock.systemUTC()));

    EnrollmentException e = assertThrows(EnrollmentException.class, agent::start);

    assertTrue(e.getMessage().contains("was not trusted"), e.getMessage());
  }

  @Test
  void commandLine_usedToken_exitsOneWithTheServersReason() throws Exception {
    int port = startServer(PKI.server("localhost", "127.0.0.1"));
    Path first = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "localhost:" + port);
    Path data = dir.resolve("first");
    new Enroller(null, new DataDir(data), new TlsChannelFactory(), Clock.systemUTC(), "test")
        .enroll(first);
    Path again = TokenFiles.write(dir, "web-01", TOKEN, PKI.pin(), "localhost:" + port);
    StringWriter err = new StringWriter();
    CommandLine commandLine = AgentMain.commandLine();
    commandLine.setErr(new PrintWriter(err, true));

    int code =
        commandLine.execute(
            "--data-dir",
            dir.resolve("second").toString(),
            "--token-file",
            again.toString(),
            "--applier",
            "dry-run");

    assertEquals(1, code);
    assertEquals("bulwark agent: enrollment refused: token already used\n", err.toString());
  }

  private int startServer(TestPki.Issued certificate) throws Exception {
    return startServer(certificate, 0);
  }

  private int startServer(TestPki.Issued certificate, int port) throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .sslContext(
                GrpcSslContexts.configure(
                        SslContextBuilder.forServer(
                            certificate.key().getPrivate(),
                            certificate.chain().toArray(new X509Certificate[0])))
                    .trustManager(PKI.ca())
                    .clientAuth(ClientAuth.OPTIONAL)
                    .build())
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .addService(enrollment)
            .addService(ServerInterceptors.intercept(agentService, new PeerRecorder()))
            .build()
            .start();
    return server.getPort();
  }

  /**
   * Records the device named by each agent stream's client certificate; refuses streams without
   * one.
   */
  private final class PeerRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
        streamPeers.add(AgentIdentity.deviceOf(peer));
      } catch (SSLPeerUnverifiedException e) {
        call.close(Status.UNAUTHENTICATED.withDescription("no client certificate"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
