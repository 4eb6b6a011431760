package io.bulwark.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.bulwark.proto.agent.v1.ApplyState;
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

    assertEquals(ApplyState.APPLY_STATE_APPLYING, stream.next(WAIT).getStatus().getState());
    assertEquals(ApplyState.APPLY_STATE_APPLIED, stream.next(WAIT).getStatus().getState());
    assertTrue(agent.awaitApplied(1, WAIT));
    assertEquals("table inet bulwark {\n}\n", Files.readString(data.resolve("dry-run.nft")));
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
