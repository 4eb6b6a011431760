package io.bulwark.controller.api;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent listener's socket: a connection the {@link HandshakeGate} does not let through is
 * closed as soon as it is accepted, before TLS starts, so a reconnect storm costs the controller
 * an accept and a close per extra connection instead of a handshake.
 */
final class GatedServerSocketChannel extends NioServerSocketChannel {

  private static final Logger log = LoggerFactory.getLogger(GatedServerSocketChannel.class);

  private final HandshakeGate gate;

  GatedServerSocketChannel(HandshakeGate gate) {
    this.gate = gate;
  }

  @Override
  protected int doReadMessages(List<Object> buf) throws Exception {
    int before = buf.size();
    int accepted = super.doReadMessages(buf);
    int kept = accepted;
    for (int i = buf.size() - 1; i >= before; i--) {
      if (!gate.tryAcquire()) {
        ((Channel) buf.remove(i)).unsafe().closeForcibly();
        kept--;
      }
    }
    if (kept < accepted) {
      long count = gate.refusedToReport();
      if (count > 0) {
        log.warn("closed {} new agent connections before TLS: more than --handshake-rate {} a second;"
            + " the agents retry after their backoff", count, gate.perSecond());
      }
    }
    // Zero would end this read loop though more connections may wait; the selector calls again.
    return accepted > 0 && kept == 0 ? 0 : kept;
  }
}
