package io.bulwark.controller.api;

import io.bulwark.controller.pki.IssuedIdentity;
import io.bulwark.controller.pki.KeyManagers;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * The controller's two TLS listeners. The agent listener serves enrollment (no client
 * certificate) and the agent stream (device certificate required); the admin listener requires
 * a user certificate for every call. Client certificates must chain to the controller's CA. New
 * agent connections are let through at most at the {@link HandshakeGate}'s rate.
 */
public final class ControllerServers {
  private static final int AGENT_MAX_MESSAGE = 1 << 20;
  private static final int ADMIN_MAX_MESSAGE = 64 << 20;
  private final Server agentServer;
  private final Server adminServer;
  private final HandshakeGate handshakes;
  private final io.netty.channel.EventLoopGroup agentBoss = new io.netty.channel.nio.NioEventLoopGroup(1);
  private final io.netty.channel.EventLoopGroup agentWorkers =
      new io.netty.channel.nio.NioEventLoopGroup(2 * Runtime.getRuntime().availableProcessors());
  private final java.util.concurrent.ExecutorService agentExecutor =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "bulwark-agent-calls");
            t.setDaemon(true);
            return t;
          });

  public ControllerServers(
      InetSocketAddress agentAddress,
      InetSocketAddress adminAddress,
      IssuedIdentity server,
      BindableService enrollment,
      BindableService agent,
      BindableService admin,
      java.util.function.Predicate<java.security.cert.X509Certificate> activeUser,
      io.bulwark.controller.pki.DeviceRefusal refusedDevice,
      java.util.function.Function<java.security.cert.X509Certificate,
          java.util.Optional<io.bulwark.controller.pki.IssuedDeviceCertificates.Issued>> issuedDevice,
      HandshakeGate handshakes) {
    var devices = new DevicePeers(issuedDevice, refusedDevice);
    this.handshakes = handshakes;
    agentServer =
        NettyServerBuilder.forAddress(agentAddress)
            // New connections over the handshake rate are closed before TLS (GatedServerSocketChannel).
            .channelFactory(() -> new GatedServerSocketChannel(handshakes))
            .bossEventLoopGroup(agentBoss)
            .workerEventLoopGroup(agentWorkers)
            .sslContext(tls(server, ClientAuth.OPTIONAL, new DeviceRevocationTrustManager(server.ca(), devices)))
            .maxInboundMessageSize(AGENT_MAX_MESSAGE)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .keepAliveTime(60, TimeUnit.SECONDS)
            // Bounded: thousands of streams share these threads; nothing runs per agent.
            .executor(agentExecutor)
            .addService(ServerInterceptors.intercept(enrollment, new PeerAuthInterceptor(PeerAuthInterceptor.Expect.ANONYMOUS)))
            .addService(ServerInterceptors.intercept(agent, PeerAuthInterceptor.devices(devices)))
            .build();
    adminServer =
        NettyServerBuilder.forAddress(adminAddress)
            .sslContext(tls(server, ClientAuth.REQUIRE, new DeviceRevocationTrustManager(server.ca(), (d, notBefore) -> false)))
            .maxInboundMessageSize(ADMIN_MAX_MESSAGE)
            // A client that vanished mid-upload is noticed within about a minute and a half.
            .keepAliveTime(60, TimeUnit.SECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS)
            .addService(ServerInterceptors.intercept(admin, new PeerAuthInterceptor(PeerAuthInterceptor.Expect.USER, activeUser)))
            .build();
  }

  private static SslContext tls(IssuedIdentity server, ClientAuth clientAuth, javax.net.ssl.TrustManager trust) {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(serverKeys(server)))
          .trustManager(trust)
          .clientAuth(clientAuth)
          .build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The server's key and chain for a listener, through {@link KeyManagers} rather than the key
   * store Netty would make of them (its key encryption cost a restart about a tenth of a second).
   * BoringSSL gets the key converted once and kept ({@link OpenSslCachingX509KeyManagerFactory});
   * without the cache it would be converted at every handshake.
   */
  static KeyManagerFactory serverKeys(IssuedIdentity server) throws GeneralSecurityException, IOException {
    KeyManagerFactory keys = KeyManagers.of(server.key(), server.certificate(), server.ca());
    return io.netty.handler.ssl.OpenSsl.isAvailable() ? new OpenSslCachingX509KeyManagerFactory(keys) : keys;
  }

  /** Which TLS implementation serves the listeners, for the start-up log. */
  public static String tlsProvider() {
    if (io.netty.handler.ssl.OpenSsl.isAvailable()) {
      return "BoringSSL (" + io.netty.handler.ssl.OpenSsl.versionString() + ")";
    }
    Throwable why = io.netty.handler.ssl.OpenSsl.unavailabilityCause();
    return "the JDK's (BoringSSL unavailable: " + (why == null ? "unknown" : why.getMessage()) + ")";
  }

  public void start() {
    try {
      agentServer.start();
      adminServer.start();
    } catch (IOException e) {
      agentServer.shutdownNow();
      agentBoss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      agentWorkers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new UncheckedIOException("cannot listen: " + e.getMessage(), e);
    }
  }

  /** The bound agent address (useful when port 0 was asked for). */
  public InetSocketAddress agentAddress() {
    return (InetSocketAddress) agentServer.getListenSockets().get(0);
  }

  public InetSocketAddress adminAddress() {
    return (InetSocketAddress) adminServer.getListenSockets().get(0);
  }

  public void stop() {
    adminServer.shutdown();
    agentServer.shutdown();
    try {
      if (!agentServer.awaitTermination(5, TimeUnit.SECONDS)) {
        agentServer.shutdownNow();
      }
      if (!adminServer.awaitTermination(5, TimeUnit.SECONDS)) {
        adminServer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      agentServer.shutdownNow();
      adminServer.shutdownNow();
    }
    agentExecutor.shutdownNow();
    agentBoss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    agentWorkers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Agent connections closed so far because they came faster than the handshake rate. */
  public long handshakesRefused() {
    return handshakes.refused();
  }
}
