package io.bulwark.agent.link;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    StreamChannel channels = new StreamChannel(identity::get, this::loopback);
    ManagedChannel first = channels.next(() -> {});

    assertSame(first, channels.next(() -> {}), "kept from one stream to the next");
    identity.set("cert-2");
    ManagedChannel renewed = channels.next(() -> {});
    assertNotSame(first, renewed, "a renewed certificate gets a channel of its own");
    assertTrue(first.isShutdown(), "the previous one is shut down");
    assertSame(renewed, channels.close());
    assertTrue(renewed.isShutdown());
    assertNotSame(renewed, channels.next(() -> {}), "after close, a new one");
  }

  @Test
  void aChannelThatFailedToConnect_triesAgainAtOnce_andSaysWhenItIsReady() throws Exception {
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    StreamChannel channels = new StreamChannel(identity::get, this::loopback);
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
    CountDownLatch ready = new CountDownLatch(1);

    assertSame(channel, channels.next(ready::countDown));
    assertSame(channel, channels.next(ready::countDown), "watched once, however often asked");

    assertTrue(ready.await(10, TimeUnit.SECONDS), "told when the channel connected");
    assertSame(ConnectivityState.READY, channel.getState(false));
  }

  @Test
  void eachStreamAttempt_onAChannelThatKeepsFailing_isAConnectionAttemptAtOnce() throws Exception {
    // Accepts and hangs up at once: every connection attempt fails, and the channel's own backoff
    // (1 s, then 1.6 times longer each time) would space them out further and further.
    java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
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
      StreamChannel channels = new StreamChannel(identity::get, this::loopback);

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
