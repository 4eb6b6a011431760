package io.bulwark.agent.link;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.config.HostPort;
import io.bulwark.chunk.RuleChunks;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.InternalNettyChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Netty channels with TLS. Hostname verification stays on for both kinds of channel (gRPC sets
 * endpoint identification on every client TLS engine); the agent stream adds keepalive pings so a
 * dead controller is noticed while the stream is idle. Thread-safe.
 */
public final class TlsChannelFactory implements ChannelFactory {

  /**
   * Large rule sets come in chunks of {@link RuleChunks#DEFAULT_CHUNK_BYTES}; a message may be a
   * little larger than a chunk, and no larger, which also bounds the memory one message takes.
   */
  static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final Duration keepAliveTime;

  /** The TLS context of the identity last used; a new channel for the same identity reuses it. */
  private record Cached(AgentIdentity identity, SslContext context) {}

  private volatile Cached cached;

  /** Keepalive every 30 s; the controller must permit pings that often. */
  public TlsChannelFactory() {
    this(Duration.ofSeconds(30));
  }

  public TlsChannelFactory(Duration keepAliveTime) {
    this.keepAliveTime = keepAliveTime;
  }

  @Override
  public ManagedChannel enrollmentChannel(HostPort controller, X509ExtendedTrustManager trust) {
    SslContext tls;
    try {
      tls = GrpcSslContexts.forClient().trustManager(trust).build();
    } catch (SSLException e) {
      throw new AgentException("cannot set up TLS for enrollment: " + e.getMessage(), e);
    }
    return NettyChannelBuilder.forAddress(controller.host(), controller.port())
        .sslContext(tls)
        .build();
  }

  @Override
  public ManagedChannel agentChannel(HostPort controller, AgentIdentity identity) {
    SslContext tls = mutualTls(identity);
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(controller.host(), controller.port())
        .sslContext(tls)
        .keepAliveTime(keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    // The agent has no gRPC census module; left on, each channel built looks for it by name and
    // fails with an exception, which showed in profiles of fleets reconnecting at once.
    InternalNettyChannelBuilder.setStatsEnabled(builder, false);
    InternalNettyChannelBuilder.setTracingEnabled(builder, false);
    return builder.build();
  }

  /**
   * The mutual-TLS context for {@code identity}, built once and reused while the identity stays
   * the same (a renewal brings a new one): building it sets up a JDK SSLContext, which an agent
   * whose certificate expired, or that was refused, would otherwise do at every attempt.
   */
  private SslContext mutualTls(AgentIdentity identity) {
    Cached last = cached;
    if (last != null && last.identity().equals(identity)) {
      return last.context();
    }
    SslContext tls;
    try {
      tls =
          GrpcSslContexts.forClient()
              .keyManager(new IdentityKeyManager(identity))
              .trustManager(identity.ca())
              .build();
    } catch (SSLException e) {
      throw new AgentException("cannot set up mutual TLS: " + e.getMessage(), e);
    }
    cached = new Cached(identity, tls);
    return tls;
  }
}
