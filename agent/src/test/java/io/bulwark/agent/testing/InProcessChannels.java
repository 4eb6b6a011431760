package io.bulwark.agent.testing;

import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.link.AgentIdentity;
import io.bulwark.agent.link.ChannelFactory;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509ExtendedTrustManager;

/** Channels to an in-process server; credentials are ignored (there is no TLS in process). */
public final class InProcessChannels implements ChannelFactory {

  private final String serverName;
  private final AtomicInteger agentChannels = new AtomicInteger();

  public InProcessChannels(String serverName) {
    this.serverName = serverName;
  }

  /** How many agent channels were opened so far. */
  public int agentChannelsOpened() {
    return agentChannels.get();
  }

  @Override
  public ManagedChannel enrollmentChannel(HostPort controller, X509ExtendedTrustManager trust) {
    return InProcessChannelBuilder.forName(serverName).build();
  }

  @Override
  public ManagedChannel agentChannel(HostPort controller, AgentIdentity identity) {
    agentChannels.incrementAndGet();
    return InProcessChannelBuilder.forName(serverName).build();
  }
}
