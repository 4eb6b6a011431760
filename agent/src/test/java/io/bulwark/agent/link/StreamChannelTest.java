package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamChannelTest {

  private final List<ManagedChannel> made = new ArrayList<>();
  private final AtomicReference<String> identity = new AtomicReference<>("cert-1");
  private int port;
  private Server server;

  @AfterEach
  void shutDown() {
    made.forEach(ManagedChannel::shutdownNow);
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void oneChannel_servesEveryStream_untilTheIdentityChanges_orItIsClosed() throws Exception {
    StreamChannel channels = new StreamChannel<>(identity::get, id -> loopback(), id -> !id.startsWith("expired"));
    ManagedChannel first = channels.next(() -> {});

    assertSame(first, channels.next(() -> {}), "kept from one stream to the next");
    identity.set("cert-2");
    ManagedChannel renewed = channels.next(() -> {});
    assertNotSame(first, renewed, "a renewed certificate gets a channel of its own");
    assertTrue(first.isShutdown(), "the previous one is shut down");
    assertSame(renewed, channels.close());
    assertTrue(renewed.isShutdown());
    ManagedChannel afterClose = channels.next(() -> {});
    assertNotSame(renewed, afterClose, "after close, a new one");
    identity.set("expired-cert-2");
    ManagedChannel expired = channels.next(() -> {});
    assertNotSame(expired, channels.next(() -> {}), "an expired certificate: a handshake at every attempt");
    assertTrue(afterClose.isShutdown() && expired.isShutdown());
  }

  @Test
  void aChannelThatFailedToConnect_saysOnceWhenItIsReady_howeverOftenItWasAsked() throws Exception {
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    StreamChannel channels = new StreamChannel<>(identity::get, id -> loopback(), id -> !id.startsWith("expired"));
    ManagedChannel channel = channels.next(() -> {});
    for (int i = 0; i < 500 && channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE; i++) {
      Thread.sleep(10);
    }
    assertSame(ConnectivityState.TRANSIENT_FAILURE, channel.getState(false), "nothing listens yet");
    // The channel's own backoff would now keep it from trying for a while.
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new AgentServiceGrpc.AgentServiceImplBase() {})
        .build()
        .start();
    AtomicInteger ready = new AtomicInteger();

    assertSame(channel, channels.next(ready::incrementAndGet));
    assertSame(channel, channels.next(ready::incrementAndGet));

    for (int i = 0; i < 1000 && ready.get() == 0; i++) {
      Thread.sleep(10);
    }
    assertSame(ConnectivityState.READY, channel.getState(false));
    Thread.sleep(200);
    assertEquals(1, ready.get(), "told once that the channel connected");
  }

  @Test
  void eachStreamAttempt_onAChannelThatKeepsFailing_isAConnectionAttemptAtOnce() throws Exception {
    // Accepts and hangs up at once: every connection attempt fails, and the channel's own backoff
    // (1 s, then 1.6 times longer each time) would space them out further and further.
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket hangUp = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      port = hangUp.getLocalPort();
      Thread acceptor = new Thread(() -> {
        while (!hangUp.isClosed()) {
          try {
            hangUp.accept().close();
            accepted.incrementAndGet();
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      StreamChannel channels = new StreamChannel<>(identity::get, id -> loopback(), id -> !id.startsWith("expired"));

      for (int attempt = 1; attempt <= 8; attempt++) {
        ManagedChannel channel = channels.next(() -> {});
        for (int i = 0; i < 500 && accepted.get() < attempt; i++) {
          Thread.sleep(10);
        }
        assertTrue(accepted.get() >= attempt, "attempt " + attempt + " reached the server: " + accepted.get());
        for (int i = 0; i < 500 && channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE; i++) {
          Thread.sleep(10);
        }
      }
    }
  }

  private ManagedChannel loopback() {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port == 0 ? 1 : port).usePlaintext().build();
    made.add(channel);
    return channel;
  }
}
