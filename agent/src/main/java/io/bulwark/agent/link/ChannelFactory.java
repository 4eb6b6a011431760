package io.bulwark.agent.link;

import io.bulwark.agent.config.HostPort;
import io.grpc.ManagedChannel;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Opens channels to the controller. {@link TlsChannelFactory} is the real one; tests pass an
 * in-process one that ignores the credentials. Each call returns a new channel which the caller
 * shuts down. Implementations are thread-safe.
 */
public interface ChannelFactory {

  /**
   * A channel for enrollment: server-authenticated TLS checked by {@code trust}, no client
   * certificate.
   */
  ManagedChannel enrollmentChannel(HostPort controller, X509ExtendedTrustManager trust);

  /** A channel for the agent stream: mutual TLS with {@code identity}, trusting only its CA. */
  ManagedChannel agentChannel(HostPort controller, AgentIdentity identity);
}
